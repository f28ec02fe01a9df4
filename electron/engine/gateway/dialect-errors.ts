// Error replies in each dialect's own shape, for failures the port decides before a handler runs
// (token, Origin, body, allow-list): OpenAI, Anthropic, Ollama and Gemini clients each parse their own.
import type { ServerResponse } from 'node:http';
import { geminiErrorBody } from './gemini/errors';
import { ERROR_MESSAGE } from './openai/errors';
import { setSecurityHeaders } from './security';

export type Dialect = 'openai' | 'anthropic' | 'ollama' | 'gemini';

/** Which dialect a path speaks: Anthropic's /v1/messages*, Ollama's /api/*, Gemini's /v1beta/*, OpenAI for the rest of /v1. */
export function dialectOf(pathname: string): Dialect {
  if (pathname.startsWith('/api/')) return 'ollama';
  if (pathname.startsWith('/v1beta/')) return 'gemini';
  if (pathname === '/v1/messages' || pathname.startsWith('/v1/messages/')) return 'anthropic';
  return 'openai';
}

const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

const OPENAI_TYPES: Record<number, string> = {
  401: 'invalid_request_error',
  403: 'permission_error',
  404: 'invalid_request_error',
  429: 'rate_limit_error',
};

export function sendDialectError(res: ServerResponse, dialect: Dialect, status: number, message: string, code: string | null = null): void {
  (res as ServerResponse & { [ERROR_MESSAGE]?: string })[ERROR_MESSAGE] = message;
  if (res.headersSent) {
    res.end();
    return;
  }
  let body: string;
  if (dialect === 'anthropic')
    body = JSON.stringify({
      type: 'error',
      error: { type: ANTHROPIC_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error'), message },
    });
  else if (dialect === 'ollama') body = JSON.stringify({ error: message });
  else if (dialect === 'gemini') body = JSON.stringify(geminiErrorBody(status, message));
  else
    body = JSON.stringify({
      error: { message, type: OPENAI_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error'), param: null, code },
    });
  setSecurityHeaders(res);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
