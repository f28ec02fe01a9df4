// One message. Replies render as markdown with a caret while streaming, the tool calls they made,
// an inline error with Retry if they failed, a "stopped" note if cut short, and the meta line (tokens,
// cost) when done or stopped. Hover or focus shows the message's actions: copy, regenerate (last
// reply), edit and resend (your messages).
import { memo, useState } from 'react';
import { Button } from '../../../ui/Button';
import { CopyIcon, EditIcon, RefreshIcon } from '../../../ui/Icons';
import { ErrorNote } from '../../../ui/ErrorNote';
import { Markdown } from '../../../ui/Markdown';
import type { ChatEntry } from '../chat-types';
import { ReplyMeta } from './ReplyMeta';
import { ToolCalls } from './ToolCalls';

export interface MessageActions {
  onRegenerate(): void;
  onEditAndResend(id: string, text: string): void;
}

interface Props extends MessageActions {
  entry: ChatEntry;
  canRegenerate: boolean;
  canEdit: boolean;
}

function EditBox({ initial, onSend, onCancel }: { initial: string; onSend(text: string): void; onCancel(): void }) {
  const [text, setText] = useState(initial);
  return (
    <form
      className="message-edit"
      onSubmit={(e) => {
        e.preventDefault();
        onSend(text);
      }}
    >
      <textarea
        aria-label="Edit message"
        value={text}
        autoFocus
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onCancel();
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            onSend(text);
          }
        }}
      />
      <div className="message-edit-actions">
        <button type="button" className="btn btn-ghost btn-sm" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary btn-sm" disabled={!text.trim()}>
          Save &amp; ask again
        </button>
      </div>
    </form>
  );
}

export const MessageItem = memo(function MessageItem({ entry, canRegenerate, canEdit, onRegenerate, onEditAndResend }: Props) {
  const [editing, setEditing] = useState(false);
  const isUser = entry.role === 'user';
  const waiting = entry.status === 'streaming' && entry.text === '';
  return (
    <article
      className={`message message-${entry.role} message-${entry.status}`}
      data-testid={isUser ? 'user-message' : 'assistant-message'}
      aria-busy={entry.status === 'streaming'}
      aria-label={
        isUser ? 'You' : `Reply from ${entry.report ? `${entry.report.provider}/${entry.report.model}` : entry.requested || 'assistant'}`
      }
    >
      {/* The model the user asked for (often a route); the meta line names who actually answered. */}
      <div className="message-author">{isUser ? 'You' : entry.requested || 'Assistant'}</div>
      {editing ? (
        <EditBox
          initial={entry.text}
          onCancel={() => setEditing(false)}
          onSend={(text) => {
            setEditing(false);
            onEditAndResend(entry.id, text);
          }}
        />
      ) : (
        <div className="message-body">
          {entry.reasoning && (
            <details className="message-reasoning" data-testid="reasoning">
              <summary>{entry.status === 'streaming' && !entry.text ? 'Thinking…' : 'Reasoning'}</summary>
              <p>{entry.reasoning}</p>
            </details>
          )}
          {waiting ? (
            <span className="typing" role="status" aria-label="Waiting for the first token">
              <span />
              <span />
              <span />
            </span>
          ) : isUser ? (
            <>
              {entry.images && entry.images.length > 0 && (
                <div className="message-images">
                  {entry.images.map((url, i) => (
                    <img key={i} src={url} alt={`Image ${i + 1} you sent`} />
                  ))}
                </div>
              )}
              {entry.text && <p className="message-text">{entry.text}</p>}
            </>
          ) : (
            (entry.text || entry.status === 'streaming') && (
              <div className="message-text">
                <Markdown text={entry.text} />
                {entry.status === 'streaming' && <span className="caret" aria-hidden="true" />}
              </div>
            )
          )}
          {entry.toolCalls && entry.toolCalls.length > 0 && <ToolCalls calls={entry.toolCalls} />}
          {entry.status === 'done' && !entry.text && !entry.toolCalls?.length && (
            <p className="reply-note">The model sent an empty reply.</p>
          )}
          {entry.status === 'error' && (
            <ErrorNote
              action={
                canRegenerate && (
                  <Button variant="ghost" className="btn-sm" onClick={onRegenerate}>
                    Retry
                  </Button>
                )
              }
            >
              {entry.error ?? 'The request failed.'}
            </ErrorNote>
          )}
          {entry.status === 'stopped' && <p className="reply-note">Stopped.</p>}
          {(entry.status === 'done' || entry.status === 'stopped') && entry.report && <ReplyMeta report={entry.report} />}
        </div>
      )}
      {!editing && entry.status !== 'streaming' && (
        <div className="message-actions">
          {entry.text && (
            <button
              type="button"
              className="icon-btn"
              aria-label="Copy message"
              title="Copy"
              onClick={() => void navigator.clipboard?.writeText(entry.text)}
            >
              <CopyIcon />
            </button>
          )}
          {canEdit && (
            <button
              type="button"
              className="icon-btn"
              aria-label="Edit message"
              title="Edit and ask again"
              onClick={() => setEditing(true)}
            >
              <EditIcon />
            </button>
          )}
          {canRegenerate && (
            <button type="button" className="icon-btn" aria-label="Regenerate" title="Regenerate" onClick={onRegenerate}>
              <RefreshIcon />
            </button>
          )}
        </div>
      )}
    </article>
  );
});
