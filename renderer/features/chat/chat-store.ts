// The chat screen's state and the actions that change it; every call to the engine happens here,
// so components only read state and call actions.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppContract } from '../../../shared/contract';
import type { ChatMessage, ModelChoice } from '../../../shared/types';
import type { ChatEntry } from './chat-types';

export interface ChatState {
  models: ModelChoice[];
  modelsStatus: 'idle' | 'loading' | 'ready' | 'error';
  modelsError: string | null;
  /** The selected model choice id (route name or `provider/model`), '' until models load. */
  model: string;
  entries: ChatEntry[];
  draft: string;
  streaming: boolean;

  loadModels(): Promise<void>;
  selectModel(id: string): void;
  setDraft(text: string): void;
  /** Sends the draft as the next user message and streams the reply into the list. */
  send(): Promise<void>;
  stop(): void;
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

export function createChatStore(client: AppContract): ChatStore {
  let controller: AbortController | null = null;
  let nextId = 0;
  const newId = () => `m${++nextId}`;

  return createStore<ChatState>()((set, get) => {
    const patchEntry = (id: string, patch: (entry: ChatEntry) => Partial<ChatEntry>) =>
      set((state) => ({ entries: state.entries.map((e) => (e.id === id ? { ...e, ...patch(e) } : e)) }));

    return {
      models: [],
      modelsStatus: 'idle',
      modelsError: null,
      model: '',
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

        const user: ChatEntry = { id: newId(), role: 'user', text, status: 'done' };
        const reply: ChatEntry = { id: newId(), role: 'assistant', text: '', status: 'streaming', requested: model };
        const messages = [...historyOf(entries), { role: 'user' as const, content: text }];
        set({ entries: [...entries, user, reply], draft: '', streaming: true });

        const ctrl = new AbortController();
        controller = ctrl;
        try {
          for await (const event of client.chat.stream({ model, messages }, ctrl.signal)) {
            if (event.type === 'delta') {
              patchEntry(reply.id, (e) => ({ text: e.text + event.text }));
            } else if (event.type === 'done') {
              const { provider, model: used, usage, costUsd, ttftMs, attempts } = event;
              patchEntry(reply.id, () => ({ status: 'done', report: { provider, model: used, usage, costUsd, ttftMs, attempts } }));
            } else if (event.type === 'error') {
              patchEntry(reply.id, () => ({ status: 'error', error: event.message }));
            }
          }
          // The contract promises a closing done/error event; anything else means the link broke.
          patchEntry(reply.id, (e) =>
            e.status !== 'streaming'
              ? {}
              : ctrl.signal.aborted
                ? { status: 'stopped' }
                : { status: 'error', error: 'The reply ended before it was complete.' },
          );
        } catch (error) {
          patchEntry(reply.id, () =>
            ctrl.signal.aborted ? { status: 'stopped' } : { status: 'error', error: (error as Error).message || String(error) },
          );
        } finally {
          if (controller === ctrl) controller = null;
          set({ streaming: false });
        }
      },

      stop() {
        controller?.abort();
      },

      clear() {
        if (get().streaming) return;
        set({ entries: [] });
      },
    };
  });
}
