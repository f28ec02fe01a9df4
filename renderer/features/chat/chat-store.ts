// The chat screen's state and the actions that change it; every call to the engine and to the
// conversation repository happens here, so components only read state and call actions.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppContract } from '../../../shared/contract';
import type { ChatContentPart, ChatMessage, ModelChoice } from '../../../shared/types';
import { createFrameBatcher } from '../../lib/frame-batcher';
import { createMemoryConversations } from './chat-repositories';
import type { ChatEntry, Conversation, ConversationRepository, ConversationSummary } from './chat-types';

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
  /** Asked of reasoning models with each request; '' = not asked. */
  reasoningEffort: '' | 'low' | 'medium' | 'high';
  setReasoningEffort(effort: '' | 'low' | 'medium' | 'high'): void;
  /** Images (data: URLs) to send with the next message. */
  attachments: string[];
  streaming: boolean;
  /** The conversation list's search text. */
  query: string;

  loadModels(): Promise<void>;
  loadConversations(): Promise<void>;
  searchConversations(query: string): Promise<void>;
  attach(dataUrl: string): void;
  detach(index: number): void;
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

/** What the engine stores of a conversation: user turns, finished replies and stopped ones with text (failed ones are not kept). */
const storedCount = (entries: ChatEntry[]) => entries.filter((e) => e.role === 'user' || (e.text.length > 0 && (e.status === 'done' || e.status === 'stopped'))).length;

function contentOf(e: ChatEntry): ChatMessage['content'] {
  if (!e.images?.length) return e.text;
  const parts: ChatContentPart[] = e.text ? [{ type: 'text', text: e.text }] : [];
  for (const url of e.images) parts.push({ type: 'image_url', image_url: { url } });
  return parts;
}

/** The conversation as the engine should see it: failed or empty replies are left out. */
function historyOf(entries: ChatEntry[]): ChatMessage[] {
  return entries
    .filter((e) => e.role === 'user' || (e.text.length > 0 && (e.status === 'done' || e.status === 'stopped')))
    .map((e) => ({ role: e.role, content: contentOf(e) }));
}

const titleOf = (text: string) => {
  const line = text.split('\n')[0]!.trim();
  return line.length > 60 ? `${line.slice(0, 57)}…` : line || 'New chat';
};

export function createChatStore(client: AppContract, repo: ConversationRepository = createMemoryConversations()): ChatStore {
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

    const refreshList = async () => set({ conversations: await repo.list(get().query) });

    const persist = async () => {
      const { activeId, entries, model } = get();
      if (!activeId || entries.length === 0) return;
      if (repo.engineStores) return refreshList();
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
      await refreshList();
    };

    /** Streams a reply to `base` (which ends with the user's message) into a new assistant entry. */
    const reply = async (base: ChatEntry[], replaces = false) => {
      const { model, activeId } = get();
      const entry: ChatEntry = { id: newId(), role: 'assistant', text: '', status: 'streaming', requested: model };
      // The engine keeps the stored turns before the newest user message; drop any it holds after them
      // (a regenerate or an edit replaces those), then the request appends the new turn and reply.
      if (replaces && repo.engineStores && activeId) await repo.truncate(activeId, storedCount(base.slice(0, -1)));
      if (!repo.engineStores && !activeId) {
        createdAt = Date.now();
        set({ activeId: newId('c') });
      }
      set({ entries: [...base, entry], streaming: true });
      const ctrl = new AbortController();
      controller = ctrl;
      const effort = get().reasoningEffort;
      const request = { model, messages: historyOf(base), ...(effort ? { reasoningEffort: effort } : {}), ...(repo.engineStores && activeId ? { conversationId: activeId } : {}) };
      try {
        for await (const event of client.chat.stream(request, ctrl.signal)) {
          if (event.type === 'delta') {
            batcher.add(entry.id, event.text);
          } else if (event.type === 'conversation') {
            // Known before the reply ends, so a stopped first reply still continues this conversation.
            if (repo.engineStores && !get().activeId) set({ activeId: event.conversationId });
          } else if (event.type === 'reasoning') {
            patchEntry(entry.id, (e) => ({ reasoning: (e.reasoning ?? '') + event.text }));
          } else if (event.type === 'done') {
            batcher.flush();
            const { provider, model: used, usage, costUsd, ttftMs, attempts, conversationId } = event;
            patchEntry(entry.id, () => ({ status: 'done', report: { provider, model: used, usage, costUsd, ttftMs, attempts } }));
            if (repo.engineStores && conversationId && !get().activeId) set({ activeId: conversationId });
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
      attachments: [],
      reasoningEffort: '',
      streaming: false,
      query: '',

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
        await refreshList();
      },

      async searchConversations(query) {
        set({ query });
        const found = await repo.list(query);
        if (get().query === query) set({ conversations: found });
      },

      attach(dataUrl) {
        set((s) => ({ attachments: [...s.attachments, dataUrl] }));
      },

      detach(index) {
        set((s) => ({ attachments: s.attachments.filter((_, i) => i !== index) }));
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
        set({ activeId: null, entries: [], draft: '', attachments: [] });
      },

      async renameConversation(id, title) {
        const name = title.trim();
        if (!name) return;
        await repo.rename(id, name);
        await refreshList();
      },

      async deleteConversation(id) {
        if (get().streaming && get().activeId === id) return;
        await repo.remove(id);
        if (get().activeId === id) set({ activeId: null, entries: [] });
        await refreshList();
      },

      setReasoningEffort(effort) {
        set({ reasoningEffort: effort });
      },

      selectModel(id) {
        set({ model: id });
      },

      setDraft(text) {
        set({ draft: text });
      },

      async send() {
        const { draft, model, streaming, entries, attachments } = get();
        const text = draft.trim();
        if ((!text && attachments.length === 0) || !model || streaming) return;
        set({ draft: '', attachments: [] });
        const user: ChatEntry = { id: newId(), role: 'user', text, status: 'done' };
        if (attachments.length) user.images = attachments;
        await reply([...entries, user]);
      },

      async regenerate() {
        const { entries, streaming, model } = get();
        if (streaming || !model) return;
        const lastUser = entries.map((e) => e.role).lastIndexOf('user');
        if (lastUser < 0) return;
        await reply(entries.slice(0, lastUser + 1), true);
      },

      async editAndResend(entryId, text) {
        const { entries, streaming, model } = get();
        const index = entries.findIndex((e) => e.id === entryId && e.role === 'user');
        if (streaming || !model || index < 0 || !text.trim()) return;
        await reply([...entries.slice(0, index), { ...entries[index]!, text: text.trim() }], true);
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
