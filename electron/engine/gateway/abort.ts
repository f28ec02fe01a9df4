// Aborts the upstream as soon as the client goes away before its answer is complete.
import type { IncomingMessage, ServerResponse } from 'node:http';

export function abortOnClose(_req: IncomingMessage, res: ServerResponse): AbortController {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller;
}
