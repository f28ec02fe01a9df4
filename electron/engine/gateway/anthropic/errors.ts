// Anthropic's error shape, `{ type: 'error', error: { type, message } }`, for every failure on the
// Anthropic endpoints (the Anthropic SDK maps status and type to its error classes).
import type { ServerResponse } from 'node:http';
import type { RoutingError } from '../../router/failures';

export function anthropicErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 503 || status === 529) return 'overloaded_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

export function sendAnthropicError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify({ type: 'error', error: { type: anthropicErrorType(status), message } });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export const sendAnthropicRoutingError = (res: ServerResponse, e: RoutingError): void => sendAnthropicError(res, e.status, e.message);

/** The SSE event an Anthropic client sees when a stream fails after it started (the SDK raises it). */
export const anthropicStreamError = (message: string): string =>
  `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'api_error', message } })}\n\n`;
