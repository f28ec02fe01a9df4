// The chat screen's state and the actions that change it; every call to the engine and to the
// conversation repository happens here, so components only read state and call actions.
import { createStore } from 'zustand/vanilla';
import type { AppContract } from '../../../shared/contract';
import { startingModel, titleOf } from './chat-history';
import { createReplier } from './chat-reply';
import { createMemoryConversations } from './chat-repositories';
import type { ChatState, ChatStore, ChatStoreOptions } from './chat-state';
import type { ChatEntry, Conversation, ConversationRepository } from './chat-types';
import { createUndoable } from './chat-undo';

export type { ChatState, ChatStore, ChatStoreOptions, PendingChange } from './chat-state';

export function createChatStore(
  client: AppContract,
  repo: ConversationRepository = createMemoryConversations(),
  options: ChatStoreOptions = {},
): ChatStore {
  const undoMs = options.undoMs ?? 8000;
  const stopGraceMs = options.stopGraceMs ?? 3000;
  let nextId = 0;
  const newId = (prefix = 'm') => `${prefix}${Date.now().toString(36)}${(++nextId).toString(36)}`;
  let createdAt = 0;

  return createStore<ChatState>()((set, get) => {
    // A conversation whose delete can still be undone stays out of the list; a cleared one shows empty.
    const refreshList = async () => {
      const query = get().query;
      const list = await repo.list(query);
      if (get().query !== query) return; // a newer search is on its way
      const p = get().pending;
      set({
        conversations:
          p?.kind === 'delete'
            ? list.filter((c) => c.id !== p.id)
            : p
              ? list.map((c) => (c.id === p.id ? { ...c, messageCount: 0 } : c))
              : list,
      });
    };

    const persist = async () => {
      const { activeId, entries, model, systemPrompt, temperature } = get();
      if (!activeId || entries.length === 0) return;
      if (repo.engineStores) return refreshList();
      const firstUser = entries.find((e) => e.role === 'user');
      const existing = await repo.get(activeId);
      const conversation: Conversation = {
        id: activeId,
        title: existing?.title ?? titleOf(firstUser?.text ?? ''),
        model,
        systemPrompt,
        temperature,
        createdAt: existing?.createdAt ?? createdAt,
        updatedAt: Date.now(),
        entries: entries.filter((e) => e.status !== 'streaming'),
      };
      await repo.put(conversation);
      await refreshList();
    };

    const replier = createReplier({
      client,
      repo,
      set,
      get,
      newId,
      stopGraceMs,
      persist,
      onNewConversation: () => {
        createdAt = Date.now();
        set({ activeId: newId('c') });
      },
    });
    const undoable = createUndoable({ repo, set, get, refreshList, undoMs });

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
      systemPrompt: '',
      temperature: null,
      defaults: null,
      budgetWarning: null,
      pending: null,
      streaming: false,
      query: '',

      async loadModels() {
        set({ modelsStatus: 'loading', modelsError: null });
        try {
          const models = await client.models.list();
          const current = get().model;
          const keep = models.some((m) => m.id === current);
          set({ models, modelsStatus: 'ready', model: keep ? current : startingModel(models, get().defaults) });
        } catch (error) {
          set({ modelsStatus: 'error', modelsError: (error as Error).message });
        }
      },

      async loadConversations() {
        await refreshList();
      },

      async searchConversations(query) {
        set({ query });
        await refreshList();
      },

      attach(dataUrl) {
        set((s) => ({ attachments: [...s.attachments, dataUrl] }));
      },

      detach(index) {
        set((s) => ({ attachments: s.attachments.filter((_, i) => i !== index) }));
      },

      async openConversation(id) {
        if (get().streaming) return;
        await get().commitPending();
        const conversation = await repo.get(id);
        if (!conversation) return;
        // The conversation's own route or model (kept even before the model list has loaded).
        const { models, modelsStatus } = get();
        const known = modelsStatus !== 'ready' || models.some((m) => m.id === conversation.model);
        set({
          activeId: id,
          entries: conversation.entries,
          draft: '',
          model: known && conversation.model ? conversation.model : get().model,
          systemPrompt: conversation.systemPrompt ?? '',
          temperature: conversation.temperature ?? null,
        });
      },

      newConversation() {
        if (get().streaming) return;
        void get().commitPending();
        const { defaults, models, model } = get();
        set({
          activeId: null,
          entries: [],
          draft: '',
          attachments: [],
          systemPrompt: defaults?.systemPrompt ?? '',
          temperature: defaults?.temperature ?? null,
          model: defaults?.model && models.some((m) => m.id === defaults.model) ? defaults.model : model,
        });
      },

      async renameConversation(id, title) {
        const name = title.trim();
        if (!name) return;
        await repo.rename(id, name);
        await refreshList();
      },

      ...undoable,

      setReasoningEffort(effort) {
        set({ reasoningEffort: effort });
      },

      selectModel(id) {
        set({ model: id });
        // A conversation keeps what it talks to: switching is remembered with it, not only for the next message.
        const { activeId } = get();
        if (activeId) void repo.setOptions(activeId, { model: id }).catch(() => {});
      },

      setOptions(patch) {
        set(patch);
      },

      async saveOptions() {
        const { activeId, systemPrompt, temperature } = get();
        if (activeId) await repo.setOptions(activeId, { systemPrompt, temperature });
      },

      applyDefaults(defaults) {
        set({ defaults });
        // A chat not yet started takes new defaults at once; an open conversation keeps its own.
        const { activeId, entries, models, modelsStatus } = get();
        if (activeId !== null || entries.length > 0) return;
        const model =
          defaults.model && (modelsStatus !== 'ready' || models.some((m) => m.id === defaults.model)) ? defaults.model : get().model;
        set({ systemPrompt: defaults.systemPrompt, temperature: defaults.temperature, model });
      },

      dismissWarning() {
        set({ budgetWarning: null });
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
        await replier.reply([...entries, user]);
      },

      async regenerate() {
        const { entries, streaming, model } = get();
        if (streaming || !model) return;
        const lastUser = entries.map((e) => e.role).lastIndexOf('user');
        if (lastUser < 0) return;
        await replier.reply(entries.slice(0, lastUser + 1), true);
      },

      async editAndResend(entryId, text) {
        const { entries, streaming, model } = get();
        const index = entries.findIndex((e) => e.id === entryId && e.role === 'user');
        if (streaming || !model || index < 0 || !text.trim()) return;
        await replier.reply([...entries.slice(0, index), { ...entries[index]!, text: text.trim() }], true);
      },

      stop: replier.stop,
    };
  });
}
