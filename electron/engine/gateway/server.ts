// The local port: one HTTP server for the OpenAI, Anthropic, Ollama and Gemini dialects, the app bridge (/app/*)
// and the UI. Every request passes the Host and Origin guards first; the APIs need a client token, /app the admin token.
import { timingSafeEqual } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PortSettingsData } from '../settings/types';
import { createContractDispatcher } from '../contract-dispatch';
import { handleAppBridge } from './app-bridge';
import { BodyError, readJsonBody, type BodyLimits } from './body';
import { mayUse, requestedModels, type ClientAccess } from './client-access';
import { DEFAULT_LIMITS, type GatewayContext } from './context';
import { ERROR_MESSAGE } from './openai/errors';
import { dialectOf, sendDialectError, type Dialect } from './dialect-errors';
import { apiRoute } from './routes';
import { RequestLog } from './request-log';
import { capConnections, defaultMaxConnections } from './connection-cap';
import { bearerToken, exposureWarning, googleApiKey, HostGuard, safeDecode, setSecurityHeaders } from './security';
import { serveStatic } from './static-ui';

export interface Gateway {
  url: string;
  host: string;
  port: number;
  /** The port's recent requests (for the UI). */
  requestLog: RequestLog;
  /** Applies changed port settings (allowed Origins, body capture) without a restart. */
  applySettings(settings: PortSettingsData): void;
  close(): Promise<void>;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function plain(res: ServerResponse, status: number, message: string): void {
  setSecurityHeaders(res);
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(message);
}

const hostMessage = (req: IncomingMessage) =>
  `the Host header ${JSON.stringify(req.headers.host ?? '')} is not allowed (DNS rebinding protection): use 127.0.0.1 or localhost`;

/** The dialects' API paths (everything else is the app bridge or the UI). */
const isApiPath = (pathname: string): boolean =>
  pathname.startsWith('/v1/') || pathname.startsWith('/api/') || pathname.startsWith('/v1beta/');

const TOKEN_HINT =
  'create one with `switchboard token create NAME` or in the app, then send `Authorization: Bearer <token>` (or `x-api-key`)';

export async function startGateway(ctx: GatewayContext, host: string, port: number): Promise<Gateway> {
  const limits = { ...DEFAULT_LIMITS, ...ctx.limits };
  const bodyLimits: BodyLimits = { maxBytes: limits.maxBodyBytes, idleMs: limits.bodyIdleMs, totalMs: limits.bodyTotalMs };
  const log = ctx.requestLog ?? new RequestLog();
  // The port's ledger rows reach the request log as they are recorded (synchronously, so a captured body is still in scope).
  const unfollow = log.follow(ctx.ledger);
  const hctx: GatewayContext = { ...ctx, requestLog: log };
  const contract = createContractDispatcher(ctx.services);
  let guard = new HostGuard(host, port);
  const applySettings = (s: PortSettingsData) => {
    guard.allowOrigins(s.allowedOrigins);
    log.captureBodies = s.captureBodies;
  };

  const logRefused = (pathname: string, client: string | null, status: number, message: string, model: string | null = null) =>
    log.add({
      id: `refused-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      startedAt: Date.now(),
      client,
      route: null,
      provider: null,
      model,
      path: pathname,
      status: 'refused',
      httpStatus: status,
      errorMessage: message,
      attempts: [],
      inputTokens: 0,
      outputTokens: 0,
      costUsd: null,
      ttftMs: null,
      durationMs: 0,
    });
  const refuse = (
    res: ServerResponse,
    dialect: Dialect,
    status: number,
    message: string,
    code: string | null,
    pathname: string,
    client: string | null,
  ) => {
    sendDialectError(res, dialect, status, message, code);
    logRefused(pathname, client, status, message);
  };

  async function handleApi(req: IncomingMessage, res: ServerResponse, pathname: string, pathToken: string | undefined): Promise<void> {
    const dialect = dialectOf(pathname);
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!guard.originAllowListed(origin)) {
        return refuse(
          res,
          dialect,
          403,
          `requests from web pages are refused: the browser Origin ${JSON.stringify(origin)} is not allow-listed in the port settings`,
          'origin_not_allowed',
          pathname,
          null,
        );
      }
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'origin');
      // Let an allow-listed page read what the port adds to a response.
      res.setHeader(
        'access-control-expose-headers',
        'x-request-id, x-switchboard-budget-warning, x-switchboard-dropped-tools, retry-after',
      );
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-methods': 'GET, POST, OPTIONS',
          'access-control-allow-headers':
            'authorization, x-api-key, content-type, anthropic-version, anthropic-beta, openai-organization, openai-project, x-goog-api-key, x-goog-api-client',
          'access-control-max-age': '600',
        });
        return void res.end();
      }
    }
    // Google's clients send `x-goog-api-key` or `?key=`: read there only, where those clients call.
    const token = bearerToken(req) ?? (dialect === 'gemini' ? googleApiKey(req) : undefined) ?? pathToken;
    const access: ClientAccess | undefined = token === undefined ? undefined : ctx.clientFor(token);
    if (access === undefined) {
      const message =
        token === undefined ? `missing client token: ${TOKEN_HINT}` : `invalid client token (it may have been revoked): ${TOKEN_HINT}`;
      return refuse(res, dialect, 401, message, 'invalid_api_key', pathname, null);
    }
    const found = apiRoute(pathname);
    if (found === undefined)
      return refuse(res, dialect, 404, `unknown endpoint ${req.method} ${pathname}`, 'unknown_url', pathname, access.name);
    const { route } = found;
    const call = { access, param: found.param };
    if (!route.methods.includes(req.method ?? ''))
      return refuse(res, dialect, 405, `use ${route.methods.join(' or ')} for ${pathname}`, 'method_not_allowed', pathname, access.name);
    const body = route.body ? await readJsonBody(req, bodyLimits) : undefined;
    // Gemini names the model in the path, not the body.
    const asked = route.pathModel && found.param !== undefined ? [found.param, ...requestedModels(body)] : requestedModels(body);
    for (const model of asked) {
      if (!mayUse(access, model)) {
        sendDialectError(
          res,
          dialect,
          403,
          `the client token "${access.name}" may not use \`${model}\` (its allowed routes and models are set on the token)`,
          'model_not_allowed',
        );
        return logRefused(pathname, access.name, 403, `the client token may not use \`${model}\``, model);
      }
    }
    if (log.captureBodies && body !== undefined) await log.capture.run(body, () => route.handle(hctx, req, res, body, access.name, call));
    else await route.handle(hctx, req, res, body, access.name, call);
    // Requests a handler turned away before routing (bad fields, unknown model) have no ledger row: log them here.
    if (res.statusCode >= 400 && !res.hasHeader('x-request-id')) {
      const message = (res as ServerResponse & { [ERROR_MESSAGE]?: string })[ERROR_MESSAGE];
      logRefused(pathname, access.name, res.statusCode, message ?? `answered ${res.statusCode}`, asked[0] ?? null);
    }
  }

  /** GET or HEAD on a token base URL: what Ollama answers at its root, for a valid token. */
  function ollamaProbe(req: IncomingMessage, res: ServerResponse, token: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return refuse(res, 'ollama', 405, 'use GET or HEAD for the base URL', 'method_not_allowed', '/', null);
    if (ctx.clientFor(token) === undefined)
      return refuse(res, 'ollama', 401, `invalid client token (it may have been revoked): ${TOKEN_HINT}`, 'invalid_api_key', '/', null);
    plain(res, 200, 'Ollama is running');
  }

  async function handleApp(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const origin = req.headers.origin;
    if (origin !== undefined && !guard.originIsSelf(origin)) return plain(res, 403, 'origin not allowed');
    const token = bearerToken(req);
    if (token === undefined || !sameSecret(token, ctx.adminToken)) return plain(res, 401, 'admin token required');
    if (req.method !== 'POST') return plain(res, 405, 'use POST');
    const body = await readJsonBody(req, bodyLimits);
    return handleAppBridge(contract, pathname, res, body);
  }

  /** What the port does with a request: guards first (Host, then any parsing), then the handler. */
  function dispatch(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> | void {
    const hostOk = guard.hostAllowed(req);
    // Tools that can set only a base URL (Ollama clients) carry the token in it: `/t/<token>/api/...`.
    let pathToken: string | undefined;
    if (pathname.startsWith('/t/')) {
      const slash = pathname.indexOf('/', 3);
      const raw = slash > 3 ? pathname.slice(3, slash) : slash === -1 && pathname.length > 3 ? pathname.slice(3) : undefined;
      if (raw !== undefined) {
        pathname = slash > 3 ? pathname.slice(slash) : '/';
        pathToken = safeDecode(raw);
        // The Host guard still answers first (below); a malformed token is refused after it.
        if (pathToken === undefined && hostOk) {
          return refuse(
            res,
            dialectOf(pathname),
            400,
            'the client token in the path is not a valid percent-encoded string',
            'invalid_request',
            pathname,
            null,
          );
        }
      }
    }
    const isApi = isApiPath(pathname);
    if (!hostOk) {
      if (isApi) return refuse(res, dialectOf(pathname), 421, hostMessage(req), 'host_not_allowed', pathname, null);
      return plain(res, 421, hostMessage(req));
    }
    // That base URL is an Ollama server's to its clients, and their "test connection" probes it.
    if (pathToken !== undefined && pathname === '/') return ollamaProbe(req, res, pathToken);
    // Claude Code warms its connection with a tokenless `HEAD <base>/api/hello` and ignores the answer: not a refusal to log.
    if (req.method === 'HEAD' && pathname === '/api/hello') return plain(res, 200, '');
    if (isApi) return handleApi(req, res, pathname, pathToken);
    if (pathname.startsWith('/app/')) return handleApp(req, res, pathname);
    if (req.method === 'GET' || req.method === 'HEAD') return serveStatic(ctx.rendererDir, pathname, res);
    return plain(res, 405, 'method not allowed');
  }

  /** The error boundary: whatever a handler throws is answered (in the dialect's shape) and never ends the process. */
  function failed(res: ServerResponse, pathname: string, error: unknown): void {
    try {
      const known = error instanceof BodyError;
      const status = known ? error.status : 500;
      const message = known ? error.message : `internal error: ${(error as Error)?.message ?? String(error)}`;
      if (!known) console.error(`switchboard: internal error on ${pathname}:`, error);
      if (res.headersSent) return void res.end();
      // A refused body is not read to its end: close the connection after the reply.
      if (known) res.setHeader('connection', 'close');
      if (isApiPath(pathname)) refuse(res, dialectOf(pathname), status, message, status === 500 ? null : 'invalid_request', pathname, null);
      else plain(res, status, message);
    } catch {
      res.destroy();
    }
  }

  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      // A backstop behind the body's own deadlines (body.ts): headers, then the body, then a margin.
      requestTimeout: limits.headersTimeoutMs + limits.bodyTotalMs + 5_000,
      keepAliveTimeout: 65_000,
      maxHeaderSize: limits.maxHeaderBytes,
      // Node checks the timeouts above on this interval; check often enough that a stalled client is cut near its deadline.
      connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(limits.headersTimeoutMs / 3))),
    },
    (req, res) => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const pathname = q === -1 ? url : url.slice(0, q);
      try {
        const work = dispatch(req, res, pathname);
        if (work) work.catch((error: unknown) => failed(res, pathname, error));
      } catch (error) {
        failed(res, pathname, error);
      }
    },
  );
  // A malformed request line or header never reaches the listener: answer it here, never crash on it.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return void socket.destroy();
    // Garbage pipelined behind a request still being answered (a body sent without a length): answer
    // that request, then close, rather than drop its answer.
    const inFlight = (socket as { _httpMessage?: ServerResponse })._httpMessage;
    if (inFlight) {
      inFlight.shouldKeepAlive = false;
      inFlight.once('finish', () => socket.end());
      inFlight.once('close', () => socket.destroy());
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  });
  // An `Expect` other than 100-continue: Node would answer a bare 417; answer it in the caller's shape.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q === -1 ? url : url.slice(0, q);
    const message = `the Expect header ${JSON.stringify(String(req.headers.expect ?? ''))} is not supported (only 100-continue is)`;
    res.setHeader('connection', 'close');
    if (isApiPath(pathname)) refuse(res, dialectOf(pathname), 417, message, 'expectation_failed', pathname, null);
    else plain(res, 417, message);
  });
  capConnections(server, limits.maxConnections ?? defaultMaxConnections());
  server.maxHeadersCount = 100;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  guard = new HostGuard(host, actualPort);
  const settings = ctx.portSettings?.();
  if (settings) applySettings(settings);
  const warning = exposureWarning(host);
  if (warning) console.warn(warning);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${actualPort}`,
    host,
    port: actualPort,
    requestLog: log,
    applySettings,
    close: () =>
      new Promise<void>((resolve) => {
        unfollow();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
