// The conversation, newest at the bottom, virtualised so a 2,000-message chat opens at once: only
// the rows in view (plus a few) are in the DOM. It follows the stream while the reader is at the
// bottom, and leaves them alone when they have scrolled up to read.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import type { ChatEntry } from '../chat-types';
import { MessageItem, type MessageActions } from './MessageItem';

interface Props extends MessageActions {
  entries: ChatEntry[];
  /** Changes when another conversation is opened: jump to its end. */
  conversationKey: string;
  streaming: boolean;
}

export function MessageList({ entries, conversationKey, streaming, ...actions }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 120,
    overscan: 6,
    getItemKey: (i) => entries[i]!.id,
  });

  const onScroll = () => {
    const el = scroller.current;
    if (el) pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 64;
  };

  const toEnd = useCallback(() => {
    if (entries.length > 0) virtualizer.scrollToIndex(entries.length - 1, { align: 'end' });
  }, [entries.length, virtualizer]);

  useLayoutEffect(() => {
    pinned.current = true;
    toEnd();
    // Only when the conversation changes; streaming growth is handled below.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- toEnd changes with every new entry; this runs on a new conversation only
  }, [conversationKey]);

  useEffect(() => {
    if (pinned.current) toEnd();
  }, [entries, toEnd]);

  const items = virtualizer.getVirtualItems();
  return (
    <div className="message-scroller" ref={scroller} onScroll={onScroll}>
      <div
        className="message-list"
        role="log"
        aria-label="Conversation"
        data-count={entries.length}
        style={{ height: virtualizer.getTotalSize() }}
      >
        <div className="message-window" style={{ transform: `translateY(${items[0]?.start ?? 0}px)` }}>
          {items.map((row) => {
            const entry = entries[row.index]!;
            return (
              <div key={row.key} data-index={row.index} ref={virtualizer.measureElement} className="message-row">
                <MessageItem
                  entry={entry}
                  canRegenerate={!streaming && row.index === entries.length - 1 && entry.role === 'assistant'}
                  canEdit={!streaming && entry.role === 'user'}
                  {...actions}
                />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
