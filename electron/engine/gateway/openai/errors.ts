// OpenAI's error shape, `{ error: { message, type, param, code } }`, for every failure on /v1/*.
import type { ServerResponse } from 'node:http';
import type { RoutingError } from '../../router/failures';

/** Where an error reply keeps its message for the request log (read once the handler is done). */
export const ERROR_MESSAGE = Symbol('switchboard.errorMessage');

export function sendOpenAIError(
  res: ServerResponse,
  status: number,
  message: string,
  type = 'invalid_request_error',
  code: string | null = null,
): void {
  (res as ServerResponse & { [ERROR_MESSAGE]?: string })[ERROR_MESSAGE] = message;
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify({ error: { message, type, param: null, code } });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** A routing failure in OpenAI's shape, with its type and code. */
export const sendOpenAIRoutingError = (res: ServerResponse, e: RoutingError): void =>
  sendOpenAIError(res, e.status, e.message, e.type, e.code);

/** The SSE event an OpenAI client sees when a stream fails after it started (the SDK raises it). */
export const openAIStreamError = (message: string): string =>
  `data: ${JSON.stringify({ error: { message, type: 'api_error', param: null, code: 'upstream_stream_error' } })}\n\n`;
