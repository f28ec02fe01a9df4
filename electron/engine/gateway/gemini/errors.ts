// Google's error shape, `{ error: { code, message, status } }` with google.rpc status names, for every
// failure on /v1beta/* (Google's SDKs raise ApiError from it, also when it arrives inside a stream).
import type { ServerResponse } from 'node:http';
import type { RoutingError } from '../../router/failures';
import { ERROR_MESSAGE } from '../openai/errors';

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  402: 'RESOURCE_EXHAUSTED', // a spent budget is a quota
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  408: 'DEADLINE_EXCEEDED',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export function googleStatus(code: number): string {
  return STATUS_NAMES[code] ?? (code >= 500 ? 'UNAVAILABLE' : 'INVALID_ARGUMENT');
}

export function geminiErrorBody(code: number, message: string): { error: { code: number; message: string; status: string } } {
  return { error: { code, message, status: googleStatus(code) } };
}

/** The content type Google answers JSON with. */
export const GEMINI_JSON = 'application/json; charset=UTF-8';

export function sendGeminiError(res: ServerResponse, code: number, message: string): void {
  (res as ServerResponse & { [ERROR_MESSAGE]?: string })[ERROR_MESSAGE] = message;
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify(geminiErrorBody(code, message));
  res.writeHead(code, { 'content-type': GEMINI_JSON, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export const sendGeminiRoutingError = (res: ServerResponse, e: RoutingError): void => sendGeminiError(res, e.status, e.message);

/**
 * What a client reads when a stream fails after it started: an element carrying `error`, which Google's
 * SDKs turn into an ApiError (500: the upstream, not the client, failed).
 */
export const geminiStreamError = (message: string): string => JSON.stringify(geminiErrorBody(500, message));
