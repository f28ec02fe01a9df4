// Streams one reply into the chat store: builds the request from the open conversation, applies the
// engine's events to a new assistant entry, and stops a reply so that it keeps its tokens and cost.
import type { AppContract } from '../../../shared/contract';
import type { ChatRequest, ChatStreamEvent } from '../../../shared/types';
import { createFrameBatcher } from '../../lib/frame-batcher';
import { readReply } from '../../lib/reply-stream';
import { historyOf, storedCount } from './chat-history';
import type { GetChat, SetChat } from './chat-state';
import type { ChatEntry, ConversationRepository } from './chat-types';

interface Deps {
  client: AppContract;
  repo: ConversationRepository;
  set: SetChat;
  get: GetChat;
  newId(prefix?: string): string;
  /** Called before a reply to a conversation the repository does not id itself (the in-memory one). */
  onNewConversation(): void;
  /** Stores what the reply left (the in-memory repository) and refreshes the list. */
  persist(): Promise<void>;
  stopGraceMs: number;
}

export function createReplier({ client, repo, set, get, newId, onNewConversation, persist, stopGraceMs }: Deps) {
  let running: { ctrl: AbortController; stopId: string; stopRequested: boolean } | null = null;
  const patchEntry = (id: string, patch: (entry: ChatEntry) => Partial<ChatEntry>) =>
    set((state) => ({ entries: state.entries.map((e) => (e.id === id ? { ...e, ...patch(e) } : e)) }));
  const batcher = createFrameBatcher<string>((pending) =>
    set((state) => ({ entries: state.entries.map((e) => (pending.has(e.id) ? { ...e, text: e.text + pending.get(e.id)! } : e)) })),
  );

  /** Streams a reply to `base` (which ends with the user's message) into a new assistant entry. */
  async function reply(base: ChatEntry[], replaces = false): Promise<void> {
    await get().commitPending();
    const { model, activeId, systemPrompt, temperature, reasoningEffort } = get();
    const entry: ChatEntry = { id: newId(), role: 'assistant', text: '', status: 'streaming', requested: model };
    // The engine keeps the stored turns before the newest user message; drop any it holds after them
    // (a regenerate or an edit replaces those), then the request appends the new turn and reply.
    if (replaces && repo.engineStores && activeId) await repo.truncate(activeId, storedCount(base.slice(0, -1)));
    if (!repo.engineStores && !activeId) onNewConversation();
    set({ entries: [...base, entry], streaming: true });
    const run = { ctrl: new AbortController(), stopId: `${newId('s')}${Math.random().toString(36).slice(2, 10)}`, stopRequested: false };
    running = run;
    const request: ChatRequest = {
      model,
      messages: historyOf(base),
      stopId: run.stopId,
      ...(reasoningEffort ? { reasoningEffort } : {}),
      ...(systemPrompt.trim() ? { systemPrompt } : {}),
      ...(temperature !== null ? { temperature } : {}),
      ...(repo.engineStores && activeId ? { conversationId: activeId } : {}),
    };
    let sawEvent = false;
    let warned = false;
    // A request refused before it started (no event came) left nothing in the engine: neither the
    // question nor the reply is stored, and a later regenerate must not count them.
    const unsaved = (): Partial<ChatEntry> => {
      if (sawEvent || !repo.engineStores) return {};
      const question = base.at(-1)?.id;
      set((s) => ({ entries: s.entries.map((e) => (e.id === question ? { ...e, unsaved: true } : e)) }));
      return { unsaved: true };
    };
    const stopped = () => run.ctrl.signal.aborted || run.stopRequested;
    const onEvent = (event: ChatStreamEvent) => {
      sawEvent = true;
      if (event.type === 'delta') {
        batcher.add(entry.id, event.text);
      } else if (event.type === 'conversation') {
        // Known before the reply ends, so a stopped or failed first reply still continues this conversation.
        if (repo.engineStores && !get().activeId) set({ activeId: event.conversationId });
      } else if (event.type === 'reasoning') {
        patchEntry(entry.id, (e) => ({ reasoning: (e.reasoning ?? '') + event.text }));
      } else if (event.type === 'tool_call') {
        patchEntry(entry.id, (e) => ({ toolCalls: [...(e.toolCalls ?? []), event.call] }));
      } else if (event.type === 'warning') {
        warned = true;
        set({ budgetWarning: event.message });
      } else if (event.type === 'done') {
        batcher.flush();
        const { provider, model: used, usage, costUsd, ttftMs, attempts, conversationId } = event;
        patchEntry(entry.id, () => ({
          status: event.stopped ? 'stopped' : 'done',
          report: { provider, model: used, usage, costUsd, ttftMs, attempts },
        }));
        if (repo.engineStores && conversationId && !get().activeId) set({ activeId: conversationId });
        // A reply under every budget clears an older warning.
        if (!warned) set({ budgetWarning: null });
      } else if (event.type === 'error') {
        batcher.flush();
        patchEntry(entry.id, () => ({ status: 'error', error: event.message }));
      }
    };
    try {
      const ending = await readReply(client.chat.stream(request, run.ctrl.signal), onEvent, stopped);
      batcher.flush();
      if (ending.kind === 'stopped') patchEntry(entry.id, () => ({ status: 'stopped' }));
      else if (ending.kind === 'broken') {
        const failed: Partial<ChatEntry> = { status: 'error', error: ending.message, ...unsaved() };
        patchEntry(entry.id, () => failed);
      }
    } finally {
      if (running === run) running = null;
      set({ streaming: false });
    }
    await persist();
  }

  function stop(): void {
    const run = running;
    if (!run || run.stopRequested) return;
    run.stopRequested = true;
    // Ask the engine to end the reply: it still sends its `done`, with the tokens and cost so far.
    // If it cannot (or takes too long), cut the stream here; the engine keeps the text either way.
    const cut = () => {
      if (running === run) run.ctrl.abort();
    };
    Promise.resolve()
      .then(() => client.chat.stop(run.stopId))
      .then((ok) => (ok ? setTimeout(cut, stopGraceMs) : cut()), cut);
  }

  return { reply, stop };
}
