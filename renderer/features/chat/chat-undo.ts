// Deleting or clearing a conversation can be taken back for a while: the change shows at once, and is
// made in the repository only when the undo toast goes (or when another change comes first). Until
// then a closed window loses the delete, never the conversation.
import type { GetChat, SetChat } from './chat-state';
import type { ConversationRepository } from './chat-types';

interface Deps {
  repo: ConversationRepository;
  set: SetChat;
  get: GetChat;
  refreshList(): Promise<void>;
  undoMs: number;
}

export function createUndoable({ repo, set, get, refreshList, undoMs }: Deps) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let committing: Promise<void> | null = null;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void commitPending(), undoMs);
  };

  /** The toast stays until the repository has made the change, so "gone" on screen means gone. */
  function commitPending(): Promise<void> {
    if (committing) return committing;
    const p = get().pending;
    if (!p) return Promise.resolve();
    clearTimeout(timer);
    committing = (async () => {
      try {
        if (p.kind === 'delete') await repo.remove(p.id);
        else await repo.truncate(p.id, 0);
      } finally {
        set({ pending: null });
        committing = null;
      }
      await refreshList();
    })();
    return committing;
  }

  async function deleteConversation(id: string): Promise<void> {
    if (get().streaming && get().activeId === id) return;
    await commitPending();
    const title = get().conversations.find((c) => c.id === id)?.title ?? 'Conversation';
    const wasOpen = get().activeId === id;
    set((s) => ({ pending: { kind: 'delete', id, title, wasOpen }, conversations: s.conversations.filter((c) => c.id !== id) }));
    if (wasOpen) set({ activeId: null, entries: [] });
    later();
  }

  async function clear(): Promise<void> {
    const { streaming, entries, activeId } = get();
    if (streaming || entries.length === 0) return;
    await commitPending();
    if (!activeId) return set({ entries: [] });
    const title = get().conversations.find((c) => c.id === activeId)?.title ?? 'Conversation';
    set((s) => ({
      entries: [],
      pending: { kind: 'clear', id: activeId, title, entries },
      conversations: s.conversations.map((c) => (c.id === activeId ? { ...c, messageCount: 0 } : c)),
    }));
    later();
  }

  function undo(): void {
    const p = get().pending;
    if (!p || committing) return;
    clearTimeout(timer);
    set({ pending: null });
    if (p.kind === 'clear') {
      if (get().activeId === p.id) set({ entries: p.entries });
      void refreshList();
      return;
    }
    // A deleted conversation that was open opens again, as it was.
    void refreshList().then(() => (p.wasOpen && !get().activeId && !get().streaming ? get().openConversation(p.id) : undefined));
  }

  return { commitPending, deleteConversation, clear, undo };
}
