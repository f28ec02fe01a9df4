// One message in the conversation. Assistant replies show a caret while streaming, an inline
// error if they failed, a "stopped" note if the user cut them short, and the meta line when done.
import { ErrorNote } from '../../../ui/ErrorNote';
import type { ChatEntry } from '../chat-types';
import { ReplyMeta } from './ReplyMeta';

export function MessageItem({ entry }: { entry: ChatEntry }) {
  const isUser = entry.role === 'user';
  const waiting = entry.status === 'streaming' && entry.text === '';
  return (
    <li
      className={`message message-${entry.role} message-${entry.status}`}
      data-testid={isUser ? 'user-message' : 'assistant-message'}
      aria-busy={entry.status === 'streaming'}
    >
      {/* The model the user asked for (often a route); the meta line names who actually answered. */}
      <div className="message-author">{isUser ? 'You' : entry.requested || 'Assistant'}</div>
      <div className="message-body">
        {waiting ? (
          <span className="typing" aria-label="Waiting for the first token">
            <span />
            <span />
            <span />
          </span>
        ) : (
          (entry.text || entry.status === 'streaming') && (
            <p className="message-text">
              {entry.text}
              {entry.status === 'streaming' && <span className="caret" aria-hidden="true" />}
            </p>
          )
        )}
        {entry.status === 'error' && <ErrorNote>{entry.error ?? 'The request failed.'}</ErrorNote>}
        {entry.status === 'stopped' && <p className="reply-note">Stopped.</p>}
        {entry.status === 'done' && entry.report && <ReplyMeta report={entry.report} />}
      </div>
    </li>
  );
}
