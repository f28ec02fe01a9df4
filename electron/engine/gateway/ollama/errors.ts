// Ollama's error shape, `{ "error": "..." }`, for every failure on /api/*.
import type { ServerResponse } from 'node:http';

export function sendOllamaError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify({ error: message });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
