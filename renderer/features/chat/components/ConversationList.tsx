// The conversations column: new chat, search by title, open, rename and delete. Kept by the
// conversation repository (in memory in wave A; the engine's storage in wave B).
import { useState } from 'react';
import { EditIcon, PlusIcon, TrashIcon } from '../../../ui/Icons';
import type { ConversationSummary } from '../chat-types';

interface Props {
  conversations: ConversationSummary[];
  activeId: string | null;
  disabled: boolean;
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

export function ConversationList({ conversations, activeId, disabled, onNew, onOpen, onRename, onDelete }: Props) {
  const [query, setQuery] = useState('');
  const [renaming, setRenaming] = useState<string | null>(null);
  const q = query.trim().toLowerCase();
  const shown = q ? conversations.filter((c) => c.title.toLowerCase().includes(q)) : conversations;

  return (
    <aside className="conversations" aria-label="Conversations">
      <button type="button" className="btn btn-secondary conversations-new" onClick={onNew} disabled={disabled}>
        <PlusIcon />
        New chat
      </button>
      <input className="search-input" type="search" aria-label="Search conversations" placeholder="Search" value={query} onChange={(e) => setQuery(e.target.value)} />
      <ul className="conversation-items">
        {shown.map((c) => (
          <li key={c.id} className={`conversation-item${c.id === activeId ? ' is-active' : ''}`}>
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
                    setRenaming(null);
                  } else if (e.key === 'Escape') setRenaming(null);
                }}
              />
            ) : (
              <button type="button" className="conversation-open" aria-current={c.id === activeId ? 'true' : undefined} disabled={disabled} onClick={() => onOpen(c.id)}>
                <span className="conversation-title">{c.title}</span>
                <span className="conversation-sub">
                  {c.messageCount} messages · {when(c.updatedAt)}
                </span>
              </button>
            )}
            <span className="conversation-tools">
              <button type="button" className="icon-btn" aria-label={`Rename ${c.title}`} title="Rename" onClick={() => setRenaming(c.id)}>
                <EditIcon />
              </button>
              <button type="button" className="icon-btn" aria-label={`Delete ${c.title}`} title="Delete" disabled={disabled && c.id === activeId} onClick={() => onDelete(c.id)}>
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
