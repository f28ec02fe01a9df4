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

describe('chat store: conversations, regenerate, edit', () => {
  const echo = () =>
    fakeClient(async function* (req) {
      yield { type: 'delta', text: `re: ${req.messages.at(-1)?.content}` };
      yield done;
    });

  it('keeps each conversation in the repository and reopens it', async () => {
    const { client } = echo();
    const store = createChatStore(client);
    await store.getState().loadModels();
    store.getState().setDraft('first question');
    await store.getState().send();
    const [summary] = store.getState().conversations;
    expect(summary).toMatchObject({ title: 'first question', messageCount: 2, model: 'default' });

    store.getState().newConversation();
    expect(store.getState().entries).toEqual([]);
    expect(store.getState().activeId).toBeNull();
    store.getState().setDraft('second');
    await store.getState().send();
    expect(store.getState().conversations).toHaveLength(2);

    await store.getState().openConversation(summary!.id);
    expect(store.getState().entries.map((e) => e.text)).toEqual(['first question', 're: first question']);

    await store.getState().renameConversation(summary!.id, '  Renamed  ');
    expect(store.getState().conversations.find((c) => c.id === summary!.id)?.title).toBe('Renamed');
    await store.getState().deleteConversation(summary!.id);
    expect(store.getState().conversations.map((c) => c.title)).toEqual(['second']);
    expect(store.getState().entries).toEqual([]);
  });

  it('regenerates the last reply from the same history', async () => {
    const { client, requests } = echo();
    const store = createChatStore(client);
    await store.getState().loadModels();
    store.getState().setDraft('q1');
    await store.getState().send();
    await store.getState().regenerate();
    expect(store.getState().entries.map((e) => e.role)).toEqual(['user', 'assistant']);
    expect(requests[1]?.messages).toEqual([{ role: 'user', content: 'q1' }]);
    expect(store.getState().conversations[0]?.messageCount).toBe(2);
  });

  it('edit and resend drops what followed the edited message', async () => {
    const { client, requests } = echo();
    const store = createChatStore(client);
    await store.getState().loadModels();
    for (const q of ['q1', 'q2']) {
      store.getState().setDraft(q);
      await store.getState().send();
    }
    const q1 = store.getState().entries[0]!;
    await store.getState().editAndResend(q1.id, 'q1 edited');
    expect(store.getState().entries.map((e) => e.text)).toEqual(['q1 edited', 're: q1 edited']);
    expect(requests.at(-1)?.messages).toEqual([{ role: 'user', content: 'q1 edited' }]);
  });
});
