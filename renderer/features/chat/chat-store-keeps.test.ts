// The chat store's newer duties against a stand-in AppContract and the in-memory repository: undoable
// delete and clear, a stop that asks the engine first, tool calls and budget warnings from the stream,
// unsaved turns, defaults for a new chat and a conversation's own settings.
import { describe, expect, it } from 'vitest';
import type { AppContract } from '../../../shared/contract';
import type { ChatDefaults, ChatRequest, ChatStreamEvent, ModelChoice } from '../../../shared/types';
import { createEngineConversations, createMemoryConversations } from './chat-repositories';
import { createChatStore } from './chat-store';

const models: ModelChoice[] = [
  { id: 'default', kind: 'route', label: 'default (route)' },
  { id: 'acme/m1', kind: 'model', label: 'acme/m1' },
];
const done: ChatStreamEvent = {
  type: 'done',
  provider: 'acme',
  model: 'm1',
  usage: { inputTokens: 5, outputTokens: 2 },
  costUsd: 0.00001,
  ttftMs: 12,
  attempts: 1,
};

function client(stream: (req: ChatRequest, signal?: AbortSignal) => AsyncIterable<ChatStreamEvent>, extra: Record<string, unknown> = {}) {
  const requests: ChatRequest[] = [];
  const c = {
    models: { list: async () => models },
    chat: {
      stream: (req: ChatRequest, signal?: AbortSignal) => {
        requests.push(req);
        return stream(req, signal);
      },
      ...extra,
    },
  } as unknown as AppContract;
  return { client: c, requests };
}

const echo = () =>
  client(async function* (req) {
    yield { type: 'delta', text: `re: ${req.messages.at(-1)?.content}` };
    yield done;
  });

async function ask(store: ReturnType<typeof createChatStore>, text: string) {
  store.getState().setDraft(text);
  await store.getState().send();
}

describe('chat store: undoable delete and clear', () => {
  it('hides a deleted conversation at once, brings it back on undo, and deletes it for good on commit', async () => {
    const repo = createMemoryConversations();
    const store = createChatStore(echo().client, repo, { undoMs: 60_000 });
    await store.getState().loadModels();
    await ask(store, 'keep me');
    const id = store.getState().activeId!;
    await store.getState().deleteConversation(id);
    expect(store.getState().conversations).toEqual([]);
    expect(store.getState().pending).toMatchObject({ kind: 'delete', id, title: 'keep me', wasOpen: true });
    expect(await repo.get(id)).not.toBeNull();
    store.getState().undo();
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().conversations.map((c) => c.id)).toEqual([id]);
    expect(store.getState().activeId).toBe(id);

    await store.getState().deleteConversation(id);
    await store.getState().commitPending();
    expect(store.getState().pending).toBeNull();
    expect(await repo.get(id)).toBeNull();
  });

  it('empties the open conversation on clear (it stays), restores it on undo, and commits when the timer ends', async () => {
    const repo = createMemoryConversations();
    const store = createChatStore(echo().client, repo, { undoMs: 20 });
    await store.getState().loadModels();
    await ask(store, 'clear me');
    const id = store.getState().activeId!;
    await store.getState().clear();
    expect(store.getState().entries).toEqual([]);
    expect(store.getState().conversations[0]).toMatchObject({ id, messageCount: 0 });
    store.getState().undo();
    expect(store.getState().entries.map((e) => e.text)).toEqual(['clear me', 're: clear me']);

    await store.getState().clear();
    await new Promise((r) => setTimeout(r, 60));
    expect(store.getState().pending).toBeNull();
    expect((await repo.get(id))!.entries).toEqual([]);
    expect(store.getState().activeId).toBe(id);
  });
});

describe('chat store: what a reply brings', () => {
  it('asks the engine to stop a reply by its stop id, and keeps the report the stopped reply ends with', async () => {
    const stops: string[] = [];
    let release: () => void = () => {};
    const { client: c, requests } = client(
      async function* () {
        yield { type: 'delta', text: 'partial' };
        await new Promise<void>((resolve) => (release = resolve));
        yield { ...done, stopped: true } as ChatStreamEvent;
      },
      { stop: async (id: string) => (stops.push(id), release(), true) },
    );
    const store = createChatStore(c, createMemoryConversations(), { stopGraceMs: 60_000 });
    await store.getState().loadModels();
    const sending = ask(store, 'long one');
    await new Promise((r) => setTimeout(r, 0));
    store.getState().stop();
    await sending;
    expect(stops).toEqual([requests[0]!.stopId]);
    expect(store.getState().entries[1]).toMatchObject({
      status: 'stopped',
      text: 'partial',
      report: { provider: 'acme', usage: { outputTokens: 2 } },
    });
  });

  it('collects tool calls, shows a budget warning until a reply comes without one', async () => {
    let warn = true;
    const store = createChatStore(
      client(async function* () {
        if (warn) yield { type: 'warning', message: 'soft budget "tiny" reached' };
        yield { type: 'tool_call', call: { id: 'c1', name: 'get_weather', arguments: '{}' } };
        yield done;
      }).client,
    );
    await store.getState().loadModels();
    await ask(store, 'weather?');
    expect(store.getState().entries[1]).toMatchObject({ status: 'done', toolCalls: [{ name: 'get_weather' }] });
    expect(store.getState().budgetWarning).toBe('soft budget "tiny" reached');
    warn = false;
    await ask(store, 'again');
    expect(store.getState().budgetWarning).toBeNull();
  });

  it('marks a turn the engine refused before it started as unsaved, so a regenerate does not count it', async () => {
    const calls: string[] = [];
    let refuse = true;
    const c = client(async function* () {
      if (refuse) throw new Error('a system prompt is text of at most 100,000 characters');
      yield { type: 'conversation', conversationId: 'conv-1' };
      yield { type: 'delta', text: 'fine' };
      yield { ...done, conversationId: 'conv-1' } as ChatStreamEvent;
    }).client;
    (c as unknown as { conversations: unknown }).conversations = {
      list: async () => [],
      truncate: async (id: string, keep: number) => (calls.push(`truncate ${id} ${keep}`), true),
    };
    const store = createChatStore(c, createEngineConversations(c));
    await store.getState().loadModels();
    refuse = false;
    await ask(store, 'q1');
    refuse = true;
    await ask(store, 'q2');
    expect(
      store
        .getState()
        .entries.slice(2)
        .map((e) => [e.role, e.status, e.unsaved]),
    ).toEqual([
      ['user', 'done', true],
      ['assistant', 'error', true],
    ]);
    refuse = false;
    await store.getState().regenerate();
    // Kept: q1 and its reply; q2 is sent again as new.
    expect(calls).toEqual(['truncate conv-1 2']);
  });
});

describe("chat store: defaults and a conversation's own settings", () => {
  const defaults: ChatDefaults = { model: 'acme/m1', systemPrompt: 'Be brief.', temperature: 0.2, fontSize: 16 };

  it('starts a new chat from the defaults and sends its prompt and temperature; an open conversation keeps its own', async () => {
    const { client: c, requests } = echo();
    const repo = createMemoryConversations();
    const store = createChatStore(c, repo);
    store.getState().applyDefaults(defaults);
    await store.getState().loadModels();
    expect(store.getState()).toMatchObject({ model: 'acme/m1', systemPrompt: 'Be brief.', temperature: 0.2 });
    await ask(store, 'hi');
    expect(requests[0]).toMatchObject({ model: 'acme/m1', systemPrompt: 'Be brief.', temperature: 0.2, stopId: expect.any(String) });

    const id = store.getState().activeId!;
    store.getState().setOptions({ systemPrompt: 'Be thorough.', temperature: null });
    await store.getState().saveOptions();
    store.getState().selectModel('default');
    store.getState().applyDefaults({ ...defaults, systemPrompt: 'Changed.' });
    expect(store.getState().systemPrompt).toBe('Be thorough.');

    store.getState().newConversation();
    expect(store.getState()).toMatchObject({ model: 'acme/m1', systemPrompt: 'Changed.', temperature: 0.2 });
    await store.getState().openConversation(id);
    expect(store.getState()).toMatchObject({ model: 'default', systemPrompt: 'Be thorough.', temperature: null });
    await ask(store, 'more');
    expect(requests.at(-1)).toMatchObject({ model: 'default' });
    expect(requests.at(-1)!.systemPrompt).toBe('Be thorough.');
    expect(requests.at(-1)!.temperature).toBeUndefined();
  });
});
