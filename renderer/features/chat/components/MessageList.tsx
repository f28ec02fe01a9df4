// The conversation, newest at the bottom. It follows the stream while the reader is at the bottom,
// and leaves them alone when they have scrolled up to read.
import { useEffect, useRef } from 'react';
import type { ChatEntry } from '../chat-types';
import { MessageItem } from './MessageItem';

export function MessageList({ entries }: { entries: ChatEntry[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  const onScroll = () => {
    const el = scroller.current;
    if (el) pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
  };

  useEffect(() => {
    const el = scroller.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [entries]);

  return (
    <div className="message-scroller" ref={scroller} onScroll={onScroll}>
      <ol className="message-list" role="log" aria-label="Conversation">
        {entries.map((entry) => (
          <MessageItem key={entry.id} entry={entry} />
        ))}
      </ol>
    </div>
  );
}
