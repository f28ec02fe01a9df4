// Ollama's error shape, `{ "error": "..." }`, for every failure on /api/*.
import type { ServerResponse } from 'node:http';
import type { RoutingError } from '../../router/failures';

/** The content type Ollama answers JSON with. */
export const OLLAMA_JSON = 'application/json; charset=utf-8';

export function sendOllamaError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify({ error: message });
  res.writeHead(status, { 'content-type': OLLAMA_JSON, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export const sendOllamaRoutingError = (res: ServerResponse, e: RoutingError): void => sendOllamaError(res, e.status, e.message);
