// The chat screen's state and the actions that change it; every call to the engine and to the
// conversation repository happens here, so components only read state and call actions.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppContract } from '../../../shared/contract';
import type { ChatMessage, ModelChoice } from '../../../shared/types';
import { createFrameBatcher } from '../../lib/frame-batcher';
import { createMemoryRepository } from '../../lib/repository';
import { summarise, type ChatEntry, type Conversation, type ConversationRepository, type ConversationSummary } from './chat-types';

export interface ChatState {
  models: ModelChoice[];
  modelsStatus: 'idle' | 'loading' | 'ready' | 'error';
  modelsError: string | null;
  /** The selected model choice id (route name or `provider/model`), '' until models load. */
  model: string;
  conversations: ConversationSummary[];
  /** The open conversation; null for a new one that has not been sent yet. */
  activeId: string | null;
  entries: ChatEntry[];
  draft: string;
  streaming: boolean;

  loadModels(): Promise<void>;
  loadConversations(): Promise<void>;
  openConversation(id: string): Promise<void>;
  newConversation(): void;
  renameConversation(id: string, title: string): Promise<void>;
  deleteConversation(id: string): Promise<void>;
  selectModel(id: string): void;
  setDraft(text: string): void;
  /** Sends the draft as the next user message and streams the reply into the list. */
  send(): Promise<void>;
  /** Asks again for the last reply, dropping the old one. */
  regenerate(): Promise<void>;
  /** Replaces a user message, drops everything after it and asks again. */
  editAndResend(entryId: string, text: string): Promise<void>;
  stop(): void;
  /** Kept for the toolbar: same as newConversation. */
  clear(): void;
}

export type ChatStore = StoreApi<ChatState>;

/** Routes come first in models.list(); prefer the first route, else whatever is first. */
function defaultModel(models: ModelChoice[]): string {
  return (models.find((m) => m.kind === 'route') ?? models[0])?.id ?? '';
}

/** The conversation as the engine should see it: failed or empty replies are left out. */
function historyOf(entries: ChatEntry[]): ChatMessage[] {
  return entries
    .filter((e) => e.role === 'user' || (e.text.length > 0 && (e.status === 'done' || e.status === 'stopped')))
    .map((e) => ({ role: e.role, content: e.text }));
}

const titleOf = (text: string) => {
  const line = text.split('\n')[0]!.trim();
  return line.length > 60 ? `${line.slice(0, 57)}…` : line || 'New chat';
};

export function createChatStore(client: AppContract, repo: ConversationRepository = createMemoryRepository(summarise)): ChatStore {
  let controller: AbortController | null = null;
  let nextId = 0;
  const newId = (prefix = 'm') => `${prefix}${Date.now().toString(36)}${(++nextId).toString(36)}`;
  let createdAt = 0;

  return createStore<ChatState>()((set, get) => {
    const patchEntry = (id: string, patch: (entry: ChatEntry) => Partial<ChatEntry>) =>
      set((state) => ({ entries: state.entries.map((e) => (e.id === id ? { ...e, ...patch(e) } : e)) }));
    const batcher = createFrameBatcher<string>((pending) =>
      set((state) => ({ entries: state.entries.map((e) => (pending.has(e.id) ? { ...e, text: e.text + pending.get(e.id)! } : e)) })),
    );

    const persist = async () => {
      const { activeId, entries, model } = get();
      if (!activeId || entries.length === 0) return;
      const firstUser = entries.find((e) => e.role === 'user');
      const existing = await repo.get(activeId);
      const conversation: Conversation = {
        id: activeId,
        title: existing?.title ?? titleOf(firstUser?.text ?? ''),
        model,
        createdAt: existing?.createdAt ?? createdAt,
        updatedAt: Date.now(),
        entries: entries.filter((e) => e.status !== 'streaming'),
      };
      await repo.put(conversation);
      set({ conversations: await repo.list() });
    };

    /** Streams a reply to `base` (which ends with the user's message) into a new assistant entry. */
    const reply = async (base: ChatEntry[]) => {
      const { model } = get();
      const entry: ChatEntry = { id: newId(), role: 'assistant', text: '', status: 'streaming', requested: model };
      if (!get().activeId) {
        createdAt = Date.now();
        set({ activeId: newId('c') });
      }
      set({ entries: [...base, entry], streaming: true });
      const ctrl = new AbortController();
      controller = ctrl;
      try {
        for await (const event of client.chat.stream({ model, messages: historyOf(base) }, ctrl.signal)) {
          if (event.type === 'delta') {
            batcher.add(entry.id, event.text);
          } else if (event.type === 'done') {
            batcher.flush();
            const { provider, model: used, usage, costUsd, ttftMs, attempts } = event;
            patchEntry(entry.id, () => ({ status: 'done', report: { provider, model: used, usage, costUsd, ttftMs, attempts } }));
          } else if (event.type === 'error') {
            batcher.flush();
            patchEntry(entry.id, () => ({ status: 'error', error: event.message }));
          }
        }
        batcher.flush();
        // The contract promises a closing done/error event; anything else means the link broke.
        patchEntry(entry.id, (e) =>
          e.status !== 'streaming' ? {} : ctrl.signal.aborted ? { status: 'stopped' } : { status: 'error', error: 'The reply ended before it was complete.' },
        );
      } catch (error) {
        batcher.flush();
        patchEntry(entry.id, () => (ctrl.signal.aborted ? { status: 'stopped' } : { status: 'error', error: (error as Error).message || String(error) }));
      } finally {
        if (controller === ctrl) controller = null;
        set({ streaming: false });
      }
      await persist();
    };

    return {
      models: [],
      modelsStatus: 'idle',
      modelsError: null,
      model: '',
      conversations: [],
      activeId: null,
      entries: [],
      draft: '',
      streaming: false,

      async loadModels() {
        set({ modelsStatus: 'loading', modelsError: null });
        try {
          const models = await client.models.list();
          const current = get().model;
          const keep = models.some((m) => m.id === current);
          set({ models, modelsStatus: 'ready', model: keep ? current : defaultModel(models) });
        } catch (error) {
          set({ modelsStatus: 'error', modelsError: (error as Error).message });
        }
      },

      async loadConversations() {
        set({ conversations: await repo.list() });
      },

      async openConversation(id) {
        if (get().streaming) return;
        const conversation = await repo.get(id);
        if (!conversation) return;
        const known = get().models.some((m) => m.id === conversation.model);
        set({ activeId: id, entries: conversation.entries, draft: '', model: known ? conversation.model : get().model });
      },

      newConversation() {
        if (get().streaming) return;
        set({ activeId: null, entries: [], draft: '' });
      },

      async renameConversation(id, title) {
        const conversation = await repo.get(id);
        const name = title.trim();
        if (!conversation || !name) return;
        await repo.put({ ...conversation, title: name });
        set({ conversations: await repo.list() });
      },

      async deleteConversation(id) {
        if (get().streaming && get().activeId === id) return;
        await repo.remove(id);
        if (get().activeId === id) set({ activeId: null, entries: [] });
        set({ conversations: await repo.list() });
      },

      selectModel(id) {
        set({ model: id });
      },

      setDraft(text) {
        set({ draft: text });
      },

      async send() {
        const { draft, model, streaming, entries } = get();
        const text = draft.trim();
        if (!text || !model || streaming) return;
        set({ draft: '' });
        await reply([...entries, { id: newId(), role: 'user', text, status: 'done' }]);
      },

      async regenerate() {
        const { entries, streaming, model } = get();
        if (streaming || !model) return;
        const lastUser = entries.map((e) => e.role).lastIndexOf('user');
        if (lastUser < 0) return;
        await reply(entries.slice(0, lastUser + 1));
      },

      async editAndResend(entryId, text) {
        const { entries, streaming, model } = get();
        const index = entries.findIndex((e) => e.id === entryId && e.role === 'user');
        if (streaming || !model || index < 0 || !text.trim()) return;
        await reply([...entries.slice(0, index), { ...entries[index]!, text: text.trim() }]);
      },

      stop() {
        controller?.abort();
      },

      clear() {
        get().newConversation();
      },
    };
  });
}
