// The HTTP bridge answers through the same dispatcher as IPC: the same refusals (overlong names,
// stream arity) with HTTP statuses, results as `{ result }`, stream events as server-sent events.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContract } from '../../../shared/contract';
import { createContractDispatcher } from '../contract-dispatch';
import { handleAppBridge } from './app-bridge';

const svc = {
  models: { list: async () => ['m'] },
  chat: {
    async *stream(request: unknown) {
      yield { type: 'delta', text: JSON.stringify(request) };
    },
  },
} as unknown as AppContract;

let server: Server;
let base: string;
beforeAll(async () => {
  const contract = createContractDispatcher(svc);
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => void handleAppBridge(contract, req.url ?? '', res, JSON.parse(text) as unknown));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = async (path: string, body: unknown) => {
  const res = await fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
};

describe('app bridge over the contract dispatcher', () => {
  it('answers a call and streams events', async () => {
    expect(await post('/app/rpc', { service: 'models', method: 'list', params: [] })).toEqual({ status: 200, text: '{"result":["m"]}' });
    const streamed = await post('/app/stream', { service: 'chat', method: 'stream', params: [{ model: 'x' }] });
    expect(streamed.status).toBe(200);
    expect(streamed.text).toBe(`data: ${JSON.stringify({ type: 'delta', text: '{"model":"x"}' })}\n\n`);
  });

  it('refuses what IPC refuses: unknown names (404), overlong names and wrong stream arity (400)', async () => {
    expect((await post('/app/rpc', { service: 'models', method: 'delete', params: [] })).status).toBe(404);
    expect((await post('/app/rpc', { service: 'models', method: 'l'.repeat(65), params: [] })).status).toBe(400);
    expect((await post('/app/rpc', { service: 'models', method: 'list', params: 'x' })).status).toBe(400);
    const arity = await post('/app/stream', { service: 'chat', method: 'stream', params: [{}, { aborted: false }] });
    expect(arity).toEqual({ status: 400, text: JSON.stringify({ error: { message: 'chat.stream takes 1 param' } }) });
  });
});
