// settings.changes against the real engine: `ready` first, then an event naming what changed after
// each write (providers, keys, prices, routes, tokens), merged for a slow reader, ended by abort; and
// the same stream over both transports: the headless HTTP bridge (POST /app/stream as server-sent
// events) and the desktop's IPC binding (with a stand-in for Electron's ipcMain and a renderer).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindContract, type StreamMessage } from '../../electron/ipc/bind-contract';
import type { IpcInvokeEvent, IpcInvokeListener } from '../../electron/ipc/types';
import { IPC_CHANNELS } from '../../shared/contract';
import type { ChangeEvent } from '../../shared/setup-types';
import { fakeKeychain } from '../fakes/keychain-fake';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';

const KEY = 'sk-feed-0123456789abcdefWXYZ';
let fake: OpenAIFake;
let h: Harness;

beforeAll(async () => {
  fake = await startOpenAIFake({ reply: 'ok', chunks: 1, apiKey: KEY, models: ['m1'] });
  h = await startHarness({ providers: [], routes: [] }, {}, 'feed-test', { keychain: fakeKeychain() });
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

/** Reads events one at a time from an async iterator, with a deadline per event. */
function reader(events: AsyncIterable<ChangeEvent>) {
  const it = events[Symbol.asyncIterator]();
  return async (): Promise<ChangeEvent | 'end'> => {
    const next = await Promise.race([
      it.next(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no event within 3 s')), 3000)),
    ]);
    return next.done ? 'end' : next.value;
  };
}

describe('settings.changes', () => {
  it('names what each write changed, merges what a slow reader missed, and ends on abort', async () => {
    const s = h.app.services;
    const controller = new AbortController();
    const next = reader(s.settings.changes({}, controller.signal));
    expect(await next()).toEqual({ type: 'ready' });

    await s.providers.create({ id: 'acme', kind: 'openai-compatible', baseUrl: fake.url, key: { secret: KEY }, models: [{ id: 'm1' }] });
    // The key was stored before the provider was written; the reader had not asked yet, so both arrive as one event.
    expect(await next()).toEqual({ type: 'changed', topics: ['providers', 'keys'] });

    await s.catalog.setOverride('acme/m1', { input: 1, output: 2 });
    expect(await next()).toEqual({ type: 'changed', topics: ['prices'] });
    await s.routes.save({ name: 'fast', strategy: 'fallback', targets: [{ provider: 'acme', model: 'm1' }] });
    expect(await next()).toEqual({ type: 'changed', topics: ['routes'] });
    await s.tokens.create({ name: 'editor' });
    expect(await next()).toEqual({ type: 'changed', topics: ['tokens'] });
    await s.keys.set('acme', 'default', KEY); // same label: the settings do not change, the key does
    expect(await next()).toEqual({ type: 'changed', topics: ['keys'] });

    const pending = next();
    controller.abort();
    expect(await pending).toBe('end');
  });

  it('streams over the HTTP app bridge, filtered to the topics asked for', async () => {
    const adminToken = h.app.adminToken;
    const res = await fetch(`${h.baseUrl}/app/stream`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ service: 'settings', method: 'changes', params: [{ topics: ['routes'] }] }),
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const body = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const until = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await body.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    await until('"ready"');
    await h.app.services.catalog.setOverride('acme/m1', { input: 3, output: 4 }); // not asked for
    await h.app.services.routes.save({ name: 'slow', strategy: 'fallback', targets: [{ provider: 'acme', model: 'm1' }] });
    await until('"routes"');
    expect(text).toBe('data: {"type":"ready"}\n\ndata: {"type":"changed","topics":["routes"]}\n\n');
    await body.cancel();
  });
});

describe('settings.changes over IPC', () => {
  it('streams to the renderer that asked, and stops when it cancels', async () => {
    const handlers = new Map<string, IpcInvokeListener>();
    const ipc = {
      handle: (c: string, l: IpcInvokeListener) => void handlers.set(c, l),
      removeHandler: (c: string) => void handlers.delete(c),
    };
    const binding = bindContract(ipc, h.app.services, () => true);
    const messages: StreamMessage[] = [];
    let arrived = () => {};
    const event: IpcInvokeEvent = {
      sender: { id: 7, isDestroyed: () => false, send: (_channel, m) => (messages.push(m as StreamMessage), arrived()) },
      senderFrame: { url: 'file:///app/index.html' },
    };
    const waitFor = async (test: () => boolean) => {
      while (!test()) await new Promise<void>((resolve) => (arrived = resolve));
    };
    const call = { service: 'settings', method: 'changes', params: [{}], streamId: 's1' };
    expect(await handlers.get(IPC_CHANNELS.stream)!(event, call)).toEqual({ result: null });
    await waitFor(() => messages.length >= 1);
    expect(messages[0]).toEqual({ streamId: 's1', event: { type: 'ready' } });
    await h.app.services.routes.save({ name: 'ipc', strategy: 'fallback', targets: [{ provider: 'acme', model: 'm1' }] });
    await waitFor(() => messages.length >= 2);
    expect(messages[1]).toEqual({ streamId: 's1', event: { type: 'changed', topics: ['routes'] } });
    await handlers.get(IPC_CHANNELS.streamCancel)!(event, { streamId: 's1' });
    await waitFor(() => messages.some((m) => 'end' in m));
    expect(messages.at(-1)).toEqual({ streamId: 's1', end: true, error: 'cancelled' });
    binding.dispose();
  });
});
