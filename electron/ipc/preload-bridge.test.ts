// The preload bridge wired to bindContract through an in-memory stand-in for Electron's IPC, so
// both halves are exercised together under plain Node.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppContract, PreloadBridge } from '../../shared/contract';
import type { ChatStreamEvent } from '../../shared/types';
import { bindContract } from './bind-contract';
import type { IpcInvokeEvent, IpcInvokeListener } from './types';

const wire = vi.hoisted(() => {
  const handlers = new Map<string, IpcInvokeListener>();
  const listeners = new Map<string, Set<(event: unknown, message: unknown) => void>>();
  const exposed: Record<string, unknown> = {};
  const event = {
    sender: {
      id: 1,
      isDestroyed: () => false,
      send: (channel: string, message: unknown) => listeners.get(channel)?.forEach((l) => l({}, message)),
    },
    senderFrame: { url: 'file:///app/index.html' },
  };
  const ipcRenderer = {
    invoke: async (channel: string, ...args: unknown[]) => {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      // Like Electron, the renderer's arguments arrive as structured clones.
      return handler(event as never, ...structuredClone(args));
    },
    on: (channel: string, l: (event: unknown, message: unknown) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(l);
    },
    removeListener: (channel: string, l: (event: unknown, message: unknown) => void) => listeners.get(channel)?.delete(l),
  };
  const ipcMain = {
    handle: (channel: string, l: IpcInvokeListener) => handlers.set(channel, l),
    removeHandler: (channel: string) => handlers.delete(channel),
  };
  const contextBridge = { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) };
  return { ipcRenderer, ipcMain, contextBridge, exposed, listeners, event };
});

vi.mock('electron', () => ({ ipcRenderer: wire.ipcRenderer, contextBridge: wire.contextBridge }));

let bridge: PreloadBridge;
let lastSignal: AbortSignal | undefined;

const services = {
  models: { list: async () => [{ id: 'fast', kind: 'route', label: 'fast' }] },
  chat: {
    async *stream(request: { model: string }, signal: AbortSignal): AsyncIterable<ChatStreamEvent> {
      lastSignal = signal;
      if (request.model === 'broken') throw new Error('no route named broken');
      yield { type: 'delta', text: 'hi' };
      if (request.model === 'slow') {
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
      }
    },
  },
} as unknown as AppContract;

beforeAll(async () => {
  bindContract(wire.ipcMain, services, (e: IpcInvokeEvent) => e.senderFrame?.url === 'file:///app/index.html');
  await import('../preload');
  bridge = wire.exposed.switchboard as PreloadBridge;
});

function collect(call: Parameters<PreloadBridge['stream']>[0]) {
  const events: unknown[] = [];
  let cancel = () => {};
  const ended = new Promise<string | undefined>((resolve) => {
    cancel = bridge.stream(call, (e) => events.push(e), resolve);
  });
  return { events, ended, cancel };
}

const listenerCount = () => wire.listeners.get('app:stream-event')?.size ?? 0;

describe('preload bridge', () => {
  it('exposes only rpc and stream', () => {
    expect(Object.keys(wire.exposed)).toEqual(['switchboard']);
    expect(Object.keys(bridge).sort()).toEqual(['rpc', 'stream']);
  });

  it('rpc returns the reply, and refusals as { error }', async () => {
    expect(await bridge.rpc({ service: 'models', method: 'list', params: [] })).toEqual({
      result: [{ id: 'fast', kind: 'route', label: 'fast' }],
    });
    expect(await bridge.rpc({ service: 'vault', method: 'dump', params: [] })).toMatchObject({ error: { message: expect.any(String) } });
  });

  it('streams events, then calls onEnd once, and drops its listener', async () => {
    const s = collect({ service: 'chat', method: 'stream', params: [{ model: 'fast', messages: [] }] });
    expect(await s.ended).toBeUndefined();
    expect(s.events).toEqual([{ type: 'delta', text: 'hi' }]);
    expect(listenerCount()).toBe(0);
  });

  it('reports a failing stream and a refused one through onEnd', async () => {
    const failing = collect({ service: 'chat', method: 'stream', params: [{ model: 'broken', messages: [] }] });
    expect(await failing.ended).toBe('no route named broken');
    const refused = collect({ service: 'chat', method: 'delete', params: [{}] });
    expect(await refused.ended).toMatch(/unknown stream/);
  });

  it('cancel aborts in main and no callback runs afterwards', async () => {
    const onEnd = vi.fn();
    const events: unknown[] = [];
    const cancel = bridge.stream(
      { service: 'chat', method: 'stream', params: [{ model: 'slow', messages: [] }] },
      (e) => events.push(e),
      onEnd,
    );
    await vi.waitFor(() => expect(events).toHaveLength(1));
    cancel();
    await vi.waitFor(() => expect(lastSignal?.aborted).toBe(true));
    await new Promise((r) => setTimeout(r, 10));
    expect(onEnd).not.toHaveBeenCalled();
    expect(listenerCount()).toBe(0);
  });
});
