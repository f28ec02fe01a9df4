// Aborts the upstream as soon as the client goes away before its answer is complete.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Cancel } from '../cancel';

export function abortOnClose(_req: IncomingMessage, res: ServerResponse): Cancel {
  const controller = new Cancel();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller;
}
