// The headless app bridge: the renderer's HTTP transport to the app-service contract
// (`POST /app/rpc`, `POST /app/stream` as server-sent events), admin token required. What may be
// called is the contract dispatcher's to say (contract-dispatch.ts); this file only speaks HTTP.
import type { ServerResponse } from 'node:http';
import { ContractCallRefused, type ContractDispatcher, type StreamStart } from '../contract-dispatch';
import { StreamWriter } from './stream-writer';

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

/** A refused call is the caller's mistake (400) or not a call this port serves (404); a method's own failure is a 400 too. */
function sendError(res: ServerResponse, error: unknown): void {
  const status = error instanceof ContractCallRefused && error.reason === 'not-allowed' ? 404 : 400;
  sendJson(res, status, { error: { message: (error as Error).message } });
}

export async function handleAppBridge(contract: ContractDispatcher, pathname: string, res: ServerResponse, body: unknown): Promise<void> {
  if (pathname === '/app/rpc') {
    try {
      return sendJson(res, 200, { result: await contract.call(body) });
    } catch (error) {
      return sendError(res, error);
    }
  }
  if (pathname === '/app/stream') {
    let start: StreamStart;
    try {
      start = contract.stream(body);
    } catch (error) {
      return sendError(res, error);
    }
    return relayEvents(res, start);
  }
  sendJson(res, 404, { error: { message: 'not found' } });
}

/** One `data:` line per event; a failure after the start is the stream's last event. */
async function relayEvents(res: ServerResponse, start: StreamStart): Promise<void> {
  const controller = new AbortController();
  res.on('close', () => controller.abort());
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
  const out = new StreamWriter(res);
  try {
    for await (const event of start(controller.signal)) {
      out.write(`data: ${JSON.stringify(event)}\n\n`);
      const wait = out.ready();
      if (wait) await wait;
    }
  } catch (error) {
    if (!controller.signal.aborted) out.write(`data: ${JSON.stringify({ type: 'error', message: (error as Error).message })}\n\n`);
  }
  out.end();
}
