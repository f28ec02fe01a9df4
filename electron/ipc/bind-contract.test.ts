import { describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, type AppContract } from '../../shared/contract';
import type { ChatRequest, ChatStreamEvent } from '../../shared/types';
import { bindContract, type StreamMessage } from './bind-contract';
import type { IpcInvokeEvent, IpcInvokeListener, IpcMainLike } from './types';

/** A stand-in for ipcMain: keeps handlers and lets the test invoke them like a renderer would. */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, IpcInvokeListener>();
  handle(channel: string, listener: IpcInvokeListener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  async invoke(channel: string, event: IpcInvokeEvent, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  }
}

/** A renderer as seen from main: records what it was sent and resolves `ended` on a stream's end. */
function fakeRenderer(id = 1, url = 'file:///app/index.html') {
  const messages: StreamMessage[] = [];
  let onEnd: (m: StreamMessage) => void = () => {};
  const ended = new Promise<StreamMessage>((resolve) => (onEnd = resolve));
  const state = { destroyed: false };
  const event: IpcInvokeEvent = {
    sender: {
      id,
      isDestroyed: () => state.destroyed,
      send(channel: string, message: unknown) {
        expect(channel).toBe(IPC_CHANNELS.streamEvent);
        messages.push(message as StreamMessage);
        if ('end' in (message as object)) onEnd(message as StreamMessage);
      },
    },
    senderFrame: { url },
  };
  return { event, messages, ended, state };
}

const request: ChatRequest = { model: 'fast', messages: [{ role: 'user', content: 'hi' }] };

function services(stream: AppContract['chat']['stream']) {
  const modelsList = vi.fn(async function (this: unknown) {
    return [{ id: 'fast', kind: 'route' as const, label: 'fast', self: this === svc.models }];
  });
  const svc = {
    models: { list: modelsList },
    providers: { list: vi.fn(async () => []) },
    routes: { list: vi.fn(async () => []) },
    chat: { stream },
    spend: {
      summary: vi.fn(async () => {
        throw new Error('ledger unavailable');
      }),
    },
  } as unknown as AppContract;
  return { svc, modelsList };
}

async function* twoDeltas(): AsyncIterable<ChatStreamEvent> {
  yield { type: 'delta', text: 'Hel' };
  yield { type: 'delta', text: 'lo' };
}

/** Yields one delta, then waits until aborted, like an upstream request that is still running. */
function waitsForAbort() {
  const seen: { signal?: AbortSignal; params?: unknown[] } = {};
  const stream = async function* (...params: unknown[]): AsyncIterable<ChatStreamEvent> {
    const signal = params.at(-1) as AbortSignal;
    Object.assign(seen, { signal, params });
    yield { type: 'delta', text: 'partial' };
    await new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
  };
  return { stream: stream as unknown as AppContract['chat']['stream'], seen };
}

const trusted = () => true;

describe('bindContract', () => {
  it('handles only the contract channels; anything else has no handler', async () => {
    const ipc = new FakeIpcMain();
    bindContract(ipc, services(twoDeltas).svc, trusted);
    expect([...ipc.handlers.keys()].sort()).toEqual([IPC_CHANNELS.rpc, IPC_CHANNELS.stream, IPC_CHANNELS.streamCancel].sort());
    await expect(ipc.invoke('app:eval', fakeRenderer().event, 'x')).rejects.toThrow(/No handler/);
  });

  it('answers an allowlisted call with the service bound as `this`', async () => {
    const ipc = new FakeIpcMain();
    bindContract(ipc, services(twoDeltas).svc, trusted);
    const reply = await ipc.invoke(IPC_CHANNELS.rpc, fakeRenderer().event, { service: 'models', method: 'list', params: [] });
    expect(reply).toEqual({ result: [{ id: 'fast', kind: 'route', label: 'fast', self: true }] });
  });

  it('returns a service error as { error }', async () => {
    const ipc = new FakeIpcMain();
    bindContract(ipc, services(twoDeltas).svc, trusted);
    const reply = await ipc.invoke(IPC_CHANNELS.rpc, fakeRenderer().event, { service: 'spend', method: 'summary', params: [{}] });
    expect(reply).toEqual({ error: { message: 'ledger unavailable' } });
  });

  it.each([
    [{ service: 'models', method: 'delete', params: [] }],
    [{ service: 'chat', method: 'stream', params: [request] }],
    [{ service: 'vault', method: 'get', params: [] }],
    [{ service: '__proto__', method: 'toString', params: [] }],
    [{ service: 'constructor', method: 'call', params: [] }],
    [{ service: 'models', method: 'constructor', params: [] }],
    [{ service: 'models', method: 'list', params: 'nope' }],
    [{ service: 42, method: 'list' }],
    [null],
    ['models.list'],
  ])('refuses a call outside the allowlist: %j', async (call) => {
    const ipc = new FakeIpcMain();
    const { svc, modelsList } = services(twoDeltas);
    bindContract(ipc, svc, trusted);
    const reply = await ipc.invoke(IPC_CHANNELS.rpc, fakeRenderer().event, call);
    expect(reply).toMatchObject({ error: { message: expect.any(String) } });
    expect(modelsList).not.toHaveBeenCalled();
  });

  it('refuses an untrusted sender on every channel without touching the services', async () => {
    const ipc = new FakeIpcMain();
    const stream = vi.fn(twoDeltas);
    const { svc, modelsList } = services(stream);
    bindContract(ipc, svc, (event) => event.senderFrame?.url === 'file:///app/index.html');
    const evil = fakeRenderer(1, 'https://evil.example/');
    const rpc = await ipc.invoke(IPC_CHANNELS.rpc, evil.event, { service: 'models', method: 'list', params: [] });
    const started = await ipc.invoke(IPC_CHANNELS.stream, evil.event, {
      service: 'chat',
      method: 'stream',
      params: [request],
      streamId: 's1',
    });
    expect(rpc).toEqual({ error: { message: 'untrusted sender' } });
    expect(started).toEqual({ error: { message: 'untrusted sender' } });
    expect(modelsList).not.toHaveBeenCalled();
    expect(stream).not.toHaveBeenCalled();
    expect(evil.messages).toEqual([]);
  });

  it('delivers stream events in order, then one end', async () => {
    const ipc = new FakeIpcMain();
    bindContract(ipc, services(twoDeltas).svc, trusted);
    const renderer = fakeRenderer();
    const started = await ipc.invoke(IPC_CHANNELS.stream, renderer.event, {
      service: 'chat',
      method: 'stream',
      params: [request],
      streamId: 's1',
    });
    expect(started).toEqual({ result: null });
    await renderer.ended;
    expect(renderer.messages).toEqual([
      { streamId: 's1', event: { type: 'delta', text: 'Hel' } },
      { streamId: 's1', event: { type: 'delta', text: 'lo' } },
      { streamId: 's1', end: true },
    ]);
  });

  it('ends a failing stream with its error', async () => {
    const ipc = new FakeIpcMain();
    const failing = async function* (): AsyncIterable<ChatStreamEvent> {
      yield { type: 'delta', text: 'a' };
      throw new Error('upstream reset');
    };
    bindContract(ipc, services(failing).svc, trusted);
    const renderer = fakeRenderer();
    await ipc.invoke(IPC_CHANNELS.stream, renderer.event, { service: 'chat', method: 'stream', params: [request], streamId: 's1' });
    expect(await renderer.ended).toEqual({ streamId: 's1', end: true, error: 'upstream reset' });
    expect(renderer.messages).toHaveLength(2);
  });

  it('passes the request and then an AbortSignal, and refuses other param counts', async () => {
    const ipc = new FakeIpcMain();
    const { stream, seen } = waitsForAbort();
    bindContract(ipc, services(stream).svc, trusted);
    const renderer = fakeRenderer();
    const extra = await ipc.invoke(IPC_CHANNELS.stream, renderer.event, {
      service: 'chat',
      method: 'stream',
      params: [request, { aborted: false }],
      streamId: 's0',
    });
    expect(extra).toMatchObject({ error: {} });
    await ipc.invoke(IPC_CHANNELS.stream, renderer.event, { service: 'chat', method: 'stream', params: [request], streamId: 's1' });
    expect(seen.params?.[0]).toEqual(request);
    expect(seen.params?.[1]).toBeInstanceOf(AbortSignal);
    expect(seen.params).toHaveLength(2);
  });

  it('cancel aborts the running stream and still ends it once', async () => {
    const ipc = new FakeIpcMain();
    const { stream, seen } = waitsForAbort();
    bindContract(ipc, services(stream).svc, trusted);
    const renderer = fakeRenderer();
    await ipc.invoke(IPC_CHANNELS.stream, renderer.event, { service: 'chat', method: 'stream', params: [request], streamId: 's1' });
    await vi.waitFor(() => expect(renderer.messages).toHaveLength(1));
    expect(seen.signal?.aborted).toBe(false);

    // Another renderer cannot cancel our stream, even knowing its id.
    await ipc.invoke(IPC_CHANNELS.streamCancel, fakeRenderer(2).event, { streamId: 's1' });
    expect(seen.signal?.aborted).toBe(false);

    await ipc.invoke(IPC_CHANNELS.streamCancel, renderer.event, { streamId: 's1' });
    expect(seen.signal?.aborted).toBe(true);
    expect(await renderer.ended).toEqual({ streamId: 's1', end: true, error: 'cancelled' });
    expect(renderer.messages.filter((m) => 'end' in m)).toHaveLength(1);
  });

  it('refuses a stream id that is already running, and frees it when the stream ends', async () => {
    const ipc = new FakeIpcMain();
    const { stream } = waitsForAbort();
    bindContract(ipc, services(stream).svc, trusted);
    const renderer = fakeRenderer();
    const call = { service: 'chat', method: 'stream', params: [request], streamId: 's1' };
    await ipc.invoke(IPC_CHANNELS.stream, renderer.event, call);
    expect(await ipc.invoke(IPC_CHANNELS.stream, renderer.event, call)).toMatchObject({ error: {} });
    await ipc.invoke(IPC_CHANNELS.streamCancel, renderer.event, { streamId: 's1' });
    await renderer.ended;
    await vi.waitFor(async () => expect(await ipc.invoke(IPC_CHANNELS.stream, renderer.event, call)).toEqual({ result: null }));
  });

  it('aborts the upstream when the renderer is gone', async () => {
    const ipc = new FakeIpcMain();
    const seen: { signal?: AbortSignal } = {};
    const endless = async function* (_r: ChatRequest, signal?: AbortSignal): AsyncIterable<ChatStreamEvent> {
      seen.signal = signal;
      while (!signal?.aborted) {
        yield { type: 'delta', text: '.' };
        await new Promise((r) => setTimeout(r, 1));
      }
    };
    bindContract(ipc, services(endless).svc, trusted);
    const renderer = fakeRenderer();
    await ipc.invoke(IPC_CHANNELS.stream, renderer.event, { service: 'chat', method: 'stream', params: [request], streamId: 's1' });
    await vi.waitFor(() => expect(renderer.messages.length).toBeGreaterThan(0));
    renderer.state.destroyed = true;
    await vi.waitFor(() => expect(seen.signal?.aborted).toBe(true));
  });

  it('abortStreams and dispose stop streams; dispose removes the handlers', async () => {
    const ipc = new FakeIpcMain();
    const { stream, seen } = waitsForAbort();
    const binding = bindContract(ipc, services(stream).svc, trusted);
    const renderer = fakeRenderer(7);
    await ipc.invoke(IPC_CHANNELS.stream, renderer.event, { service: 'chat', method: 'stream', params: [request], streamId: 's1' });
    binding.abortStreams(8);
    expect(seen.signal?.aborted).toBe(false);
    binding.abortStreams(7);
    expect(seen.signal?.aborted).toBe(true);
    binding.dispose();
    expect(ipc.handlers.size).toBe(0);
  });
});
