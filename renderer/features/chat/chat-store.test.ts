// The chat store against a stand-in AppContract: model defaults, streaming, errors and stop.
import { describe, expect, it } from 'vitest';
import type { AppContract } from '../../../shared/contract';
import type { ChatRequest, ChatStreamEvent, ModelChoice } from '../../../shared/types';
import { createChatStore } from './chat-store';

const models: ModelChoice[] = [
  { id: 'default', kind: 'route', label: 'default' },
  { id: 'acme/m1', kind: 'model', label: 'acme/m1' },
];
const done: ChatStreamEvent = { type: 'done', provider: 'acme', model: 'm1', usage: { inputTokens: 5, outputTokens: 2 }, costUsd: 0.00001, ttftMs: 12, attempts: 2 };

function fakeClient(script: (req: ChatRequest, signal?: AbortSignal) => AsyncIterable<ChatStreamEvent>) {
  const requests: ChatRequest[] = [];
  const client = {
    models: { list: async () => models },
    chat: {
      stream: (req: ChatRequest, signal?: AbortSignal) => {
        requests.push(req);
        return script(req, signal);
      },
    },
  } as unknown as AppContract;
  return { client, requests };
}

describe('chat store', () => {
  it('defaults to the first route', async () => {
    const store = createChatStore(fakeClient(async function* () {}).client);
    await store.getState().loadModels();
    expect(store.getState().model).toBe('default');
  });

  it('streams a reply and keeps the report', async () => {
    const { client, requests } = fakeClient(async function* () {
      yield { type: 'delta', text: 'Hel' };
      yield { type: 'delta', text: 'lo' };
      yield done;
    });
    const store = createChatStore(client);
    await store.getState().loadModels();
    store.getState().setDraft('  hi  ');
    await store.getState().send();
    const [user, reply] = store.getState().entries;
    expect(user).toMatchObject({ role: 'user', text: 'hi' });
    expect(reply).toMatchObject({ role: 'assistant', text: 'Hello', status: 'done', report: { attempts: 2, costUsd: 0.00001 } });
    expect(store.getState().streaming).toBe(false);
    expect(store.getState().draft).toBe('');

    store.getState().setDraft('again');
    await store.getState().send();
    expect(requests[1]?.messages).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'Hello' },
      { role: 'user', content: 'again' },
    ]);
  });

  it('shows an error event inline and a thrown transport error too', async () => {
    let mode = 0;
    const store = createChatStore(
      fakeClient(async function* () {
        if (mode++ === 0) yield { type: 'error', message: 'all targets failed' };
        else throw new Error('network down');
      }).client,
    );
    await store.getState().loadModels();
    store.getState().setDraft('a');
    await store.getState().send();
    store.getState().setDraft('b');
    await store.getState().send();
    const replies = store.getState().entries.filter((e) => e.role === 'assistant');
    expect(replies.map((r) => [r.status, r.error])).toEqual([
      ['error', 'all targets failed'],
      ['error', 'network down'],
    ]);
  });

  it('flags a stream that ends without done or error', async () => {
    const store = createChatStore(fakeClient(async function* () { yield { type: 'delta', text: 'par' }; }).client);
    await store.getState().loadModels();
    store.getState().setDraft('x');
    await store.getState().send();
    expect(store.getState().entries[1]).toMatchObject({ status: 'error', text: 'par' });
  });

  it('stops a streaming reply', async () => {
    const store = createChatStore(
      fakeClient(async function* (_req, signal) {
        yield { type: 'delta', text: 'partial' };
        await new Promise<void>((_, reject) =>
          signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))),
        );
      }).client,
    );
    await store.getState().loadModels();
    store.getState().setDraft('long one');
    const sending = store.getState().send();
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().streaming).toBe(true);
    store.getState().stop();
    await sending;
    expect(store.getState().entries[1]).toMatchObject({ status: 'stopped', text: 'partial' });
    expect(store.getState().streaming).toBe(false);
  });
});
