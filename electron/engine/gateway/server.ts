// The local port: one HTTP server for the OpenAI dialect (/v1/*), the app bridge (/app/*) and the UI.
// Every request passes the Host and Origin guards first; /v1 needs a client token, /app the admin token.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleCountTokens } from './anthropic/count-tokens';
import { sendAnthropicError } from './anthropic/errors';
import { handleMessages } from './anthropic/messages';
import { handleAnthropicModels } from './anthropic/models';
import { handleAppBridge } from './app-bridge';
import { BodyError, readJsonBody } from './body';
import type { GatewayContext } from './context';
import { handleChatCompletions } from './openai/chat-completions';
import { sendOpenAIError } from './openai/errors';
import { handleModels } from './openai/models';
import { handleOllamaChat, handleOllamaTags } from './ollama/chat';
import { sendOllamaError } from './ollama/errors';
import { handleOllamaShow, handleOllamaVersion } from './ollama/show';
import { bearerToken, HostGuard } from './security';
import { serveStatic } from './static-ui';

/** Large enough for a prompt with a few images; larger bodies get 413. */
const BODY_LIMIT_BYTES = 20 * 1024 * 1024;

export interface Gateway {
  url: string;
  host: string;
  port: number;
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

/** Each dialect's errors in its own shape: Anthropic on /v1/messages*, Ollama on /api/*, OpenAI elsewhere. */
function sendApiError(pathname: string, res: ServerResponse, status: number, message: string, type?: string, code?: string | null): void {
  if (pathname.startsWith('/v1/messages')) return sendAnthropicError(res, status, message);
  if (pathname.startsWith('/api/')) return sendOllamaError(res, status, message);
  return sendOpenAIError(res, status, message, type, code ?? null);
}

async function handleApi(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  const sendError = (r: ServerResponse, status: number, message: string, type?: string, code?: string | null) => sendApiError(pathname, r, status, message, type, code);
  if (req.headers.origin !== undefined) {
    return sendError(res, 403, 'requests from web pages are refused: a browser Origin is not allowed on the API port', 'permission_error', 'origin_not_allowed');
  }
  const token = bearerToken(req);
  const client = token === undefined ? undefined : ctx.clientFor(token);
  if (client === undefined) {
    const message = token === undefined
      ? 'missing client token: send `Authorization: Bearer <token>` (create one with `switchboard token create NAME`)'
      : 'invalid client token (create one with `switchboard token create NAME`)';
    return sendError(res, 401, message, 'invalid_request_error', 'invalid_api_key');
  }
  if (req.method === 'GET' && pathname === '/v1/models') return req.headers['anthropic-version'] ? handleAnthropicModels(ctx, res) : handleModels(ctx, res);
  if (pathname === '/v1/chat/completions') {
    if (req.method !== 'POST') return sendError(res, 405, 'use POST for /v1/chat/completions');
    const body = await readJsonBody(req, BODY_LIMIT_BYTES);
    return handleChatCompletions(ctx, req, res, body, client);
  }
  if (pathname === '/v1/messages' || pathname === '/v1/messages/count_tokens' || pathname === '/api/chat') {
    if (req.method !== 'POST') return sendError(res, 405, `use POST for ${pathname}`);
    const body = await readJsonBody(req, BODY_LIMIT_BYTES);
    if (pathname === '/api/chat') return handleOllamaChat(ctx, req, res, body, client);
    return pathname === '/v1/messages' ? handleMessages(ctx, req, res, body, client) : handleCountTokens(ctx, req, res, body);
  }
  if (req.method === 'GET' && pathname === '/api/tags') return handleOllamaTags(ctx, res);
  if (req.method === 'GET' && pathname === '/api/version') return handleOllamaVersion(res);
  if (req.method === 'POST' && pathname === '/api/show') return handleOllamaShow(ctx, res, await readJsonBody(req, BODY_LIMIT_BYTES));
  return sendError(res, 404, `unknown endpoint ${req.method} ${pathname}`, 'invalid_request_error', 'unknown_url');
}

async function handleApp(ctx: GatewayContext, guard: HostGuard, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  const origin = req.headers.origin;
  if (origin !== undefined && !guard.originIsSelf(origin)) return plain(res, 403, 'origin not allowed');
  const token = bearerToken(req);
  if (token === undefined || !sameSecret(token, ctx.adminToken)) return plain(res, 401, 'admin token required');
  if (req.method !== 'POST') return plain(res, 405, 'use POST');
  const body = await readJsonBody(req, BODY_LIMIT_BYTES);
  return handleAppBridge(ctx.services, pathname, req, res, body);
}

export async function startGateway(ctx: GatewayContext, host: string, port: number): Promise<Gateway> {
  let guard = new HostGuard(host, port);
  const server = createServer({ headersTimeout: 15_000, requestTimeout: 120_000, keepAliveTimeout: 65_000 }, (req, res) => {
    if (!guard.hostAllowed(req)) return plain(res, 421, 'Host header not allowed (DNS rebinding protection)');
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q === -1 ? url : url.slice(0, q);
    const isApi = pathname.startsWith('/v1/') || pathname.startsWith('/api/');
    const work = isApi
      ? handleApi(ctx, req, res, pathname)
      : pathname.startsWith('/app/')
        ? handleApp(ctx, guard, req, res, pathname)
        : req.method === 'GET' || req.method === 'HEAD'
          ? serveStatic(ctx.rendererDir, pathname, res)
          : Promise.resolve(plain(res, 405, 'method not allowed'));
    work.catch((error: unknown) => {
      const status = error instanceof BodyError ? error.status : 500;
      const message = error instanceof BodyError ? error.message : `internal error: ${(error as Error).message}`;
      if (isApi) sendApiError(pathname, res, status, message, status === 500 ? 'api_error' : 'invalid_request_error');
      else if (!res.headersSent) plain(res, status, message);
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  guard = new HostGuard(host, actualPort);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${actualPort}`,
    host,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
