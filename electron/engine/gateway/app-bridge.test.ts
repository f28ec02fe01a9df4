// The HTTP bridge answers through the same dispatcher as IPC: the same refusals (overlong names,
// stream arity) with HTTP statuses, results as `{ result }`, stream events as server-sent events, and
// many streams multiplexed over one event channel (started, cancelled, stopped with the channel).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppContract } from '../../../shared/contract';
import { createContractDispatcher } from '../contract-dispatch';
import { handleAppBridge } from './app-bridge';

/** Feed streams still open, by their request's `name`, so a test sees whether the bridge stopped them. */
const feeds = new Map<string, AbortSignal>();

const svc = {
  models: { list: async () => ['m'] },
  chat: {
    async *stream(request: unknown) {
      yield { type: 'delta', text: JSON.stringify(request) };
    },
  },
  settings: {
    /** Two events, then open until stopped (as the change feed is). */
    async *changes(request: { name: string }, signal: AbortSignal) {
      feeds.set(request.name, signal);
      yield { type: 'ready', name: request.name };
      yield { type: 'changed', topics: [request.name] };
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
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

/** Opens an event channel and reads its frames as they come. */
async function openChannel() {
  const stop = new AbortController();
  const res = await fetch(`${base}/app/events`, { method: 'POST', body: '{}', signal: stop.signal });
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  const frames: Array<Record<string, unknown>> = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) return;
      buffered += value;
      for (let end = buffered.indexOf('\n\n'); end !== -1; end = buffered.indexOf('\n\n')) {
        frames.push(JSON.parse(buffered.slice('data: '.length, end)) as Record<string, unknown>);
        buffered = buffered.slice(end + 2);
      }
    }
  })();
  await vi.waitFor(() => expect(frames).toHaveLength(1));
  const id = frames[0]!.channel as string;
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  return { id, frames, close: () => stop.abort() };
}

const start = (channel: string, stream: string, call: unknown) => post('/app/stream/start', { channel, stream, call });
const feed = (name: string) => ({ service: 'settings', method: 'changes', params: [{ name }] });

describe('streams multiplexed over one event channel', () => {
  it("tags each stream's events with its id, ends a finished stream, and cancels one on request", async () => {
    const ch = await openChannel();
    expect(await start(ch.id, 'a', feed('a'))).toEqual({ status: 200, text: '{"result":null}' });
    expect((await start(ch.id, 'b', feed('b'))).status).toBe(200);
    expect((await start(ch.id, 'c', { service: 'chat', method: 'stream', params: [{ model: 'x' }] })).status).toBe(200);
    await vi.waitFor(() => expect(ch.frames.filter((f) => f.stream === 'c')).toHaveLength(2));
    expect(ch.frames.filter((f) => f.stream === 'c')).toEqual([
      { stream: 'c', event: { type: 'delta', text: '{"model":"x"}' } },
      { stream: 'c', end: true },
    ]);
    await vi.waitFor(() => expect(ch.frames.filter((f) => f.stream === 'b')).toHaveLength(2));
    expect(ch.frames.filter((f) => f.stream === 'a')).toEqual([
      { stream: 'a', event: { type: 'ready', name: 'a' } },
      { stream: 'a', event: { type: 'changed', topics: ['a'] } },
    ]);

    expect(await post('/app/stream/cancel', { channel: ch.id, stream: 'a' })).toEqual({ status: 200, text: '{"result":null}' });
    await vi.waitFor(() => expect(feeds.get('a')?.aborted).toBe(true));
    expect(feeds.get('b')?.aborted).toBe(false);
    // Cancelling again, or a stream that ended, is not an error.
    expect((await post('/app/stream/cancel', { channel: ch.id, stream: 'a' })).status).toBe(200);
    expect((await post('/app/stream/cancel', { channel: ch.id, stream: 'c' })).status).toBe(200);
    // An id may be used again once its stream is gone.
    expect((await start(ch.id, 'a', feed('a2'))).status).toBe(200);
    ch.close();
  });

  it('stops every stream of a channel when the channel closes, and then refuses starts on it (410)', async () => {
    const ch = await openChannel();
    expect((await start(ch.id, 'x', feed('x'))).status).toBe(200);
    expect((await start(ch.id, 'y', feed('y'))).status).toBe(200);
    await vi.waitFor(() => expect(feeds.get('y')).toBeDefined());
    ch.close();
    await vi.waitFor(() => expect([feeds.get('x')?.aborted, feeds.get('y')?.aborted]).toEqual([true, true]));
    expect((await start(ch.id, 'z', feed('z'))).status).toBe(410);
  });

  it('refuses what /app/stream refuses, a stream id in use, and a malformed start, before anything runs', async () => {
    const ch = await openChannel();
    expect((await start(ch.id, 's', { service: 'chat', method: 'nope', params: [{}] })).status).toBe(404);
    expect(await start(ch.id, 's', { service: 'chat', method: 'stream', params: [{}, {}] })).toEqual({
      status: 400,
      text: JSON.stringify({ error: { message: 'chat.stream takes 1 param' } }),
    });
    expect((await start(ch.id, 's', feed('s'))).status).toBe(200);
    expect((await start(ch.id, 's', feed('s2'))).status).toBe(400);
    expect((await post('/app/stream/start', { channel: ch.id, call: feed('t') })).status).toBe(400);
    expect((await post('/app/stream/start', { channel: 'x'.repeat(65), stream: 't', call: feed('t') })).status).toBe(400);
    expect((await start('no-such-channel', 't', feed('t'))).status).toBe(410);
    expect(feeds.has('t')).toBe(false);
    ch.close();
  });
});
