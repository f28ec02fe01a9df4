// The local port: one HTTP server for the OpenAI, Anthropic and Ollama dialects, the app bridge (/app/*)
// and the UI. Every request passes the Host and Origin guards first; the APIs need a client token, /app the admin token.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PortSettingsData } from '../settings/types';
import { handleAppBridge } from './app-bridge';
import { BodyError, readJsonBody, type BodyLimits } from './body';
import { mayUse, requestedModels, type ClientAccess } from './client-access';
import { DEFAULT_LIMITS, type GatewayContext } from './context';
import { ERROR_MESSAGE } from './openai/errors';
import { dialectOf, sendDialectError, type Dialect } from './dialect-errors';
import { apiRoute } from './routes';
import { RequestLog } from './request-log';
import { bearerToken, exposureWarning, HostGuard } from './security';
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
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(message);
}

const TOKEN_HINT = 'create one with `switchboard token create NAME` or in the app, then send `Authorization: Bearer <token>` (or `x-api-key`)';

export async function startGateway(ctx: GatewayContext, host: string, port: number): Promise<Gateway> {
  const limits = { ...DEFAULT_LIMITS, ...ctx.limits };
  const bodyLimits: BodyLimits = { maxBytes: limits.maxBodyBytes, idleMs: limits.bodyIdleMs };
  const log = ctx.requestLog ?? new RequestLog();
  // The port's ledger rows reach the request log as they are recorded (synchronously, so a captured body is still in scope).
  const unfollow = log.follow(ctx.ledger);
  const hctx: GatewayContext = { ...ctx, requestLog: log };
  let guard = new HostGuard(host, port);
  const applySettings = (s: PortSettingsData) => {
    guard.allowOrigins(s.allowedOrigins);
    log.captureBodies = s.captureBodies;
  };

  const logRefused = (pathname: string, client: string | null, status: number, message: string, model: string | null = null) =>
    log.add({ id: `refused-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, startedAt: Date.now(), client, route: null, provider: null, model, path: pathname, status: 'refused', httpStatus: status, errorMessage: message, attempts: [], inputTokens: 0, outputTokens: 0, costUsd: null, ttftMs: null, durationMs: 0 });
  const refuse = (res: ServerResponse, dialect: Dialect, status: number, message: string, code: string | null, pathname: string, client: string | null) => {
    sendDialectError(res, dialect, status, message, code);
    logRefused(pathname, client, status, message);
  };

  async function handleApi(req: IncomingMessage, res: ServerResponse, pathname: string, pathToken: string | undefined): Promise<void> {
    const dialect = dialectOf(pathname);
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!guard.originAllowListed(origin)) {
        return refuse(res, dialect, 403, `requests from web pages are refused: the browser Origin ${JSON.stringify(origin)} is not allow-listed in the port settings`, 'origin_not_allowed', pathname, null);
      }
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'origin');
      // Let an allow-listed page read what the port adds to a response.
      res.setHeader('access-control-expose-headers', 'x-request-id, x-switchboard-budget-warning, retry-after');
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-methods': 'GET, POST, OPTIONS',
          'access-control-allow-headers': 'authorization, x-api-key, content-type, anthropic-version, anthropic-beta, openai-organization, openai-project',
          'access-control-max-age': '600',
        });
        return void res.end();
      }
    }
    const token = bearerToken(req) ?? pathToken;
    const access: ClientAccess | undefined = token === undefined ? undefined : ctx.clientFor(token);
    if (access === undefined) {
      const message = token === undefined ? `missing client token: ${TOKEN_HINT}` : `invalid client token (it may have been revoked): ${TOKEN_HINT}`;
      return refuse(res, dialect, 401, message, 'invalid_api_key', pathname, null);
    }
    const found = apiRoute(pathname);
    if (found === undefined) return refuse(res, dialect, 404, `unknown endpoint ${req.method} ${pathname}`, 'unknown_url', pathname, access.name);
    const { route } = found;
    const call = { access, param: found.param };
    if (!route.methods.includes(req.method ?? '')) return refuse(res, dialect, 405, `use ${route.methods.join(' or ')} for ${pathname}`, 'method_not_allowed', pathname, access.name);
    const body = route.body ? await readJsonBody(req, bodyLimits) : undefined;
    for (const model of requestedModels(body)) {
      if (!mayUse(access, model)) {
        sendDialectError(res, dialect, 403, `the client token "${access.name}" may not use \`${model}\` (its allowed routes and models are set on the token)`, 'model_not_allowed');
        return logRefused(pathname, access.name, 403, `the client token may not use \`${model}\``, model);
      }
    }
    if (log.captureBodies && body !== undefined) await log.capture.run(body, () => route.handle(hctx, req, res, body, access.name, call));
    else await route.handle(hctx, req, res, body, access.name, call);
    // Requests a handler turned away before routing (bad fields, unknown model) have no ledger row: log them here.
    if (res.statusCode >= 400 && !res.hasHeader('x-request-id')) {
      const message = (res as ServerResponse & { [ERROR_MESSAGE]?: string })[ERROR_MESSAGE];
      logRefused(pathname, access.name, res.statusCode, message ?? `answered ${res.statusCode}`, requestedModels(body)[0] ?? null);
    }
  }

  /** GET or HEAD on a token base URL: what Ollama answers at its root, for a valid token. */
  function ollamaProbe(req: IncomingMessage, res: ServerResponse, token: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 'ollama', 405, 'use GET or HEAD for the base URL', 'method_not_allowed', '/', null);
    if (ctx.clientFor(token) === undefined) return refuse(res, 'ollama', 401, `invalid client token (it may have been revoked): ${TOKEN_HINT}`, 'invalid_api_key', '/', null);
    plain(res, 200, 'Ollama is running');
  }

  async function handleApp(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const origin = req.headers.origin;
    if (origin !== undefined && !guard.originIsSelf(origin)) return plain(res, 403, 'origin not allowed');
    const token = bearerToken(req);
    if (token === undefined || !sameSecret(token, ctx.adminToken)) return plain(res, 401, 'admin token required');
    if (req.method !== 'POST') return plain(res, 405, 'use POST');
    const body = await readJsonBody(req, bodyLimits);
    return handleAppBridge(ctx.services, pathname, req, res, body);
  }

  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: 300_000,
      keepAliveTimeout: 65_000,
      maxHeaderSize: limits.maxHeaderBytes,
      // Node checks the timeouts above on this interval; check often enough that a stalled client is cut near its deadline.
      connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(limits.headersTimeoutMs / 3))),
    },
    (req, res) => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      let pathname = q === -1 ? url : url.slice(0, q);
      // Tools that can set only a base URL (Ollama clients) carry the token in it: `/t/<token>/api/...`.
      let pathToken: string | undefined;
      if (pathname.startsWith('/t/')) {
        const slash = pathname.indexOf('/', 3);
        if (slash > 3) {
          pathToken = decodeURIComponent(pathname.slice(3, slash));
          pathname = pathname.slice(slash);
        } else if (slash === -1 && pathname.length > 3) {
          pathToken = decodeURIComponent(pathname.slice(3));
          pathname = '/';
        }
      }
      // That base URL is an Ollama server's to its clients, and their "test connection" probes it.
      if (pathToken !== undefined && pathname === '/' && guard.hostAllowed(req)) return ollamaProbe(req, res, pathToken);
      const isApi = pathname.startsWith('/v1/') || pathname.startsWith('/api/');
      if (!guard.hostAllowed(req)) {
        const message = `the Host header ${JSON.stringify(req.headers.host ?? '')} is not allowed (DNS rebinding protection): use 127.0.0.1 or localhost`;
        if (isApi) return refuse(res, dialectOf(pathname), 421, message, 'host_not_allowed', pathname, null);
        return plain(res, 421, message);
      }
      const work = isApi
        ? handleApi(req, res, pathname, pathToken)
        : pathname.startsWith('/app/')
          ? handleApp(req, res, pathname)
          : req.method === 'GET' || req.method === 'HEAD'
            ? serveStatic(ctx.rendererDir, pathname, res)
            : Promise.resolve(plain(res, 405, 'method not allowed'));
      work.catch((error: unknown) => {
        const status = error instanceof BodyError ? error.status : 500;
        const message = error instanceof BodyError ? error.message : `internal error: ${(error as Error).message}`;
        // A refused body is not read to its end: close the connection after the reply.
        if (error instanceof BodyError) res.setHeader('connection', 'close');
        if (isApi) refuse(res, dialectOf(pathname), status, message, status === 500 ? null : 'invalid_request', pathname, null);
        else if (!res.headersSent) plain(res, status, message);
        else res.end();
      });
    },
  );
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
