// The chat store against a stand-in AppContract: model defaults, streaming, errors and stop.
import { describe, expect, it, vi } from 'vitest';
import type { AppContract } from '../../../shared/contract';
import type { ChatRequest, ChatStreamEvent, ModelChoice } from '../../../shared/types';
import { createEngineConversations, createMemoryConversations } from './chat-repositories';
import { createChatStore } from './chat-store';

const models: ModelChoice[] = [
  { id: 'default', kind: 'route', label: 'default' },
  { id: 'acme/m1', kind: 'model', label: 'acme/m1' },
];
const done: ChatStreamEvent = {
  type: 'done',
  provider: 'acme',
  model: 'm1',
  usage: { inputTokens: 5, outputTokens: 2 },
  costUsd: 0.00001,
  ttftMs: 12,
  attempts: 2,
};

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
    const store = createChatStore(
      fakeClient(async function* () {
        yield { type: 'delta', text: 'par' };
      }).client,
    );
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

describe('chat store: engine-stored conversations, reasoning, images', () => {
  /** A stand-in for the engine's conversations service that records what the store asked of it. */
  function engineClient() {
    const calls: string[] = [];
    const requests: ChatRequest[] = [];
    const client = {
      models: { list: async () => models },
      chat: {
        stream: async function* (req: ChatRequest): AsyncGenerator<ChatStreamEvent> {
          requests.push(req);
          yield { type: 'reasoning', text: 'thinking ' };
          yield { type: 'reasoning', text: 'hard' };
          yield { type: 'delta', text: 'answer' };
          yield { ...done, conversationId: 'conv-1' } as ChatStreamEvent;
        },
      },
      conversations: {
        list: async () => [{ id: 'conv-1', kind: 'chat', title: 'q1', createdAt: 1, updatedAt: 2, messageCount: 2 }],
        search: async (q: string) => (calls.push(`search ${q}`), []),
        truncate: async (id: string, keep: number) => (calls.push(`truncate ${id} ${keep}`), true),
        rename: async (id: string, title: string) => (calls.push(`rename ${id} ${title}`), true),
      },
    } as unknown as AppContract;
    return { client, calls, requests };
  }

  it('takes the id the engine stored the exchange under, and truncates before a regenerate', async () => {
    const { client, calls, requests } = engineClient();
    const store = createChatStore(client, createEngineConversations(client));
    await store.getState().loadModels();
    store.getState().setDraft('q1');
    await store.getState().send();
    expect(requests[0]?.conversationId).toBeUndefined();
    expect(store.getState().activeId).toBe('conv-1');
    expect(store.getState().conversations[0]).toMatchObject({ id: 'conv-1', messageCount: 2 });
    expect(store.getState().entries[1]).toMatchObject({ text: 'answer', reasoning: 'thinking hard', status: 'done' });

    await store.getState().regenerate();
    expect(calls).toContain('truncate conv-1 0');
    expect(requests[1]).toMatchObject({ conversationId: 'conv-1', messages: [{ role: 'user', content: 'q1' }] });

    store.getState().setDraft('q2');
    await store.getState().send();
    // A plain send continues the stored conversation without dropping anything.
    expect(calls.filter((c) => c.startsWith('truncate'))).toEqual(['truncate conv-1 0']);
    expect(requests[2]).toMatchObject({ conversationId: 'conv-1' });
    await store.getState().searchConversations('wal');
    expect(calls).toContain('search wal');
    expect(store.getState().conversations).toEqual([]);
  });

  it('continues the conversation of a stopped first reply, and counts the stopped reply as stored', async () => {
    const { client, calls, requests } = engineClient();
    let release: () => void = () => {};
    (client.chat as { stream: unknown }).stream = async function* (
      req: ChatRequest,
      signal?: AbortSignal,
    ): AsyncGenerator<ChatStreamEvent> {
      requests.push(req);
      if (requests.length === 1) {
        yield { type: 'conversation', conversationId: 'conv-9' };
        yield { type: 'delta', text: 'partial' };
        await new Promise<void>((resolve) => {
          release = resolve;
          signal?.addEventListener('abort', () => resolve());
        });
        return;
      }
      yield { type: 'conversation', conversationId: 'conv-9' };
      yield { type: 'delta', text: 'whole' };
      yield { ...done, conversationId: 'conv-9' } as ChatStreamEvent;
    };
    const store = createChatStore(client, createEngineConversations(client));
    await store.getState().loadModels();
    store.getState().setDraft('q1');
    const sending = store.getState().send();
    await vi.waitFor(() => expect(store.getState().activeId).toBe('conv-9'));
    store.getState().stop();
    release();
    await sending;
    expect(store.getState().entries[1]).toMatchObject({ text: 'partial', status: 'stopped' });
    store.getState().setDraft('q2');
    await store.getState().send();
    expect(requests[1]).toMatchObject({
      conversationId: 'conv-9',
      messages: [
        { role: 'user', content: 'q1' },
        { role: 'assistant', content: 'partial' },
        { role: 'user', content: 'q2' },
      ],
    });
    // A regenerate keeps the stored turns before the last question: q1, the stopped reply and q2 minus q2.
    await store.getState().regenerate();
    expect(calls).toContain('truncate conv-9 2');
  });

  it('reopens an engine-stored conversation with its images', async () => {
    const { client } = engineClient();
    (client.conversations as { get: unknown }).get = async (id: string) => ({
      id,
      kind: 'chat',
      title: 'pic',
      createdAt: 1,
      updatedAt: 2,
      messageCount: 2,
      messages: [
        { role: 'user', content: 'what is it', images: ['data:image/png;base64,AAAA'], createdAt: 1 },
        { role: 'assistant', content: 'a dot', model: 'acme/m1', createdAt: 2 },
      ],
    });
    const store = createChatStore(client, createEngineConversations(client));
    await store.getState().openConversation('conv-1');
    expect(store.getState().entries[0]).toMatchObject({ role: 'user', text: 'what is it', images: ['data:image/png;base64,AAAA'] });
    expect(store.getState().entries[1]!.images).toBeUndefined();
  });

  it('sends attached images as image_url parts beside the text', async () => {
    const { client, requests } = engineClient();
    const store = createChatStore(client, createMemoryConversations());
    await store.getState().loadModels();
    store.getState().attach('data:image/png;base64,AAAA');
    store.getState().setDraft('what is this?');
    await store.getState().send();
    expect(requests[0]?.messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'what is this?' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
      ],
    });
    expect(store.getState().attachments).toEqual([]);
  });
});
