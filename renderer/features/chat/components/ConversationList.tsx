// The conversations column: new chat, search by title, open, rename and delete (undoable). Kept by the
// conversation repository (the engine's storage; search covers titles and message text).
import { useState, type KeyboardEvent } from 'react';
import { attr, focusSoon } from '../../../lib/focus';
import { countOf } from '../../../lib/format';
import { EditIcon, PlusIcon, TrashIcon } from '../../../ui/Icons';
import type { ConversationSummary } from '../chat-types';

interface Props {
  conversations: ConversationSummary[];
  activeId: string | null;
  disabled: boolean;
  /** The search text; the store asks the repository (titles and message text). */
  query: string;
  onSearch(query: string): void;
  onNew(): void;
  onOpen(id: string): void;
  onRename(id: string, title: string): void;
  onDelete(id: string): void;
}

function when(ms: number): string {
  const d = new Date(ms);
  const today = new Date();
  return d.toDateString() === today.toDateString()
    ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString([], { month: 'short', day: 'numeric' });
}

export function ConversationList({ conversations, activeId, disabled, query, onSearch, onNew, onOpen, onRename, onDelete }: Props) {
  const [renaming, setRenaming] = useState<string | null>(null);
  const q = query.trim();
  // One Tab stop per conversation: its tools are reached with the arrow keys (or F2 and Delete).
  const arrows = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const items = [...(e.currentTarget.closest('li')?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
    const next = items[items.indexOf(e.currentTarget as HTMLButtonElement) + (e.key === 'ArrowRight' ? 1 : -1)];
    if (!next) return;
    e.preventDefault();
    next.focus();
  };
  const stopRenaming = (id: string) => {
    setRenaming(null);
    focusSoon(`[data-conversation=${attr(id)}] .conversation-open`);
  };
  const shown = conversations;

  return (
    <aside className="conversations" aria-label="Conversations">
      <button type="button" className="btn btn-secondary conversations-new" onClick={onNew} disabled={disabled}>
        <PlusIcon />
        New chat
      </button>
      <input
        className="search-input"
        type="search"
        aria-label="Search conversations"
        placeholder="Search"
        value={query}
        onChange={(e) => onSearch(e.target.value)}
      />
      <ul className="conversation-items">
        {shown.map((c) => (
          <li key={c.id} className={`conversation-item${c.id === activeId ? ' is-active' : ''}`} data-conversation={c.id}>
            {renaming === c.id ? (
              <input
                className="conversation-rename"
                aria-label="Conversation name"
                defaultValue={c.title}
                autoFocus
                onBlur={() => setRenaming(null)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    onRename(c.id, e.currentTarget.value);
                    stopRenaming(c.id);
                  } else if (e.key === 'Escape') stopRenaming(c.id);
                }}
              />
            ) : (
              <button
                type="button"
                className="conversation-open"
                aria-current={c.id === activeId ? 'true' : undefined}
                aria-keyshortcuts="F2 Delete"
                disabled={disabled}
                onClick={() => onOpen(c.id)}
                onKeyDown={(e) => {
                  if (e.key === 'F2') {
                    e.preventDefault();
                    setRenaming(c.id);
                  } else if (e.key === 'Delete' && !(disabled && c.id === activeId)) {
                    e.preventDefault();
                    onDelete(c.id);
                  } else arrows(e);
                }}
              >
                <span className="conversation-title">{c.title}</span>
                <span className="conversation-sub">
                  {countOf(c.messageCount, 'message')} · {when(c.updatedAt)}
                </span>
              </button>
            )}
            <span className="conversation-tools">
              <button
                type="button"
                className="icon-btn"
                tabIndex={-1}
                aria-label={`Rename ${c.title}`}
                title="Rename (F2)"
                onClick={() => setRenaming(c.id)}
                onKeyDown={arrows}
              >
                <EditIcon />
              </button>
              <button
                type="button"
                className="icon-btn"
                tabIndex={-1}
                aria-label={`Delete ${c.title}`}
                title="Delete (Delete key)"
                disabled={disabled && c.id === activeId}
                onClick={() => onDelete(c.id)}
                onKeyDown={arrows}
              >
                <TrashIcon />
              </button>
            </span>
          </li>
        ))}
        {shown.length === 0 && <li className="conversation-none">{q ? 'No conversation matches.' : 'Your conversations appear here.'}</li>}
      </ul>
    </aside>
  );
}
