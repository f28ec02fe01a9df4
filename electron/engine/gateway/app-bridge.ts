// The headless app bridge: the renderer's HTTP transport to the app-service contract
// (`POST /app/rpc`, `POST /app/stream` as server-sent events), admin token required.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamWriter } from './stream-writer';
import { isRpcMethod, isStreamMethod, type AppContract, type RpcCall } from '../../../shared/contract';

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

function parseCall(body: unknown): RpcCall | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as Record<string, unknown>;
  if (typeof b.service !== 'string' || typeof b.method !== 'string') return null;
  return { service: b.service, method: b.method, params: Array.isArray(b.params) ? b.params : [] };
}

type Callable = (...args: unknown[]) => unknown;
const methodOf = (services: AppContract, call: RpcCall): Callable =>
  ((services as unknown as Record<string, Record<string, Callable>>)[call.service]![call.method] as Callable).bind(
    (services as unknown as Record<string, unknown>)[call.service],
  );

export async function handleAppBridge(services: AppContract, pathname: string, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
  const call = parseCall(body);
  if (!call) return sendJson(res, 400, { error: { message: 'expected { service, method, params }' } });
  if (pathname === '/app/rpc') {
    if (!isRpcMethod(call.service, call.method)) return sendJson(res, 404, { error: { message: `no such call: ${call.service}.${call.method}` } });
    try {
      return sendJson(res, 200, { result: await methodOf(services, call)(...call.params) });
    } catch (error) {
      return sendJson(res, 400, { error: { message: (error as Error).message } });
    }
  }
  if (pathname === '/app/stream') {
    if (!isStreamMethod(call.service, call.method)) return sendJson(res, 404, { error: { message: `no such stream: ${call.service}.${call.method}` } });
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    const out = new StreamWriter(res);
    try {
      const events = methodOf(services, call)(...call.params, controller.signal) as AsyncIterable<unknown>;
      for await (const event of events) {
        out.write(`data: ${JSON.stringify(event)}\n\n`);
        const wait = out.ready();
        if (wait) await wait;
      }
    } catch (error) {
      if (!controller.signal.aborted) out.write(`data: ${JSON.stringify({ type: 'error', message: (error as Error).message })}\n\n`);
    }
    out.end();
    return;
  }
  sendJson(res, 404, { error: { message: 'not found' } });
}
