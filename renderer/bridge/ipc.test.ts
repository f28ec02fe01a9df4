// The IPC transport turns the preload's callbacks into an async iterable and aborts into cancels.
import { describe, expect, it } from 'vitest';
import type { PreloadBridge, RpcCall } from '../../shared/contract';
import { createIpcTransport } from './ipc';

function fakeBridge() {
  const streams: Array<{ call: RpcCall; onEvent: (e: unknown) => void; onEnd: (err?: string) => void; cancelled: boolean }> = [];
  const bridge: PreloadBridge = {
    rpc: async (call) => (call.service === 'models' ? { result: ['ok'] } : { error: { message: 'refused' } }),
    stream(call, onEvent, onEnd) {
      const s = { call, onEvent, onEnd, cancelled: false };
      streams.push(s);
      return () => void (s.cancelled = true);
    },
  };
  return { bridge, streams };
}

describe('createIpcTransport', () => {
  it('unwraps RPC replies and errors', async () => {
    const t = createIpcTransport(fakeBridge().bridge);
    expect(await t.rpc({ service: 'models', method: 'list', params: [] })).toEqual(['ok']);
    await expect(t.rpc({ service: 'spend', method: 'summary', params: [] })).rejects.toThrow('refused');
  });

  it('yields pushed events until the end', async () => {
    const { bridge, streams } = fakeBridge();
    const iter = createIpcTransport(bridge).stream({ service: 'chat', method: 'stream', params: [] });
    const collected = (async () => {
      const out: unknown[] = [];
      for await (const e of iter) out.push(e);
      return out;
    })();
    await Promise.resolve();
    const s = streams[0]!;
    s.onEvent({ type: 'delta', text: 'a' });
    s.onEvent({ type: 'delta', text: 'b' });
    s.onEnd();
    expect(await collected).toEqual([
      { type: 'delta', text: 'a' },
      { type: 'delta', text: 'b' },
    ]);
    expect(s.cancelled).toBe(false);
  });

  it('cancels the stream on abort and throws an AbortError', async () => {
    const { bridge, streams } = fakeBridge();
    const ctrl = new AbortController();
    const it = createIpcTransport(bridge).stream({ service: 'chat', method: 'stream', params: [] }, ctrl.signal)[Symbol.asyncIterator]();
    const first = it.next();
    await Promise.resolve();
    streams[0]!.onEvent({ type: 'delta', text: 'a' });
    expect((await first).value).toEqual({ type: 'delta', text: 'a' });
    const second = it.next();
    ctrl.abort();
    await expect(second).rejects.toMatchObject({ name: 'AbortError' });
    expect(streams[0]!.cancelled).toBe(true);
  });
});
