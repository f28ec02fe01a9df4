// Reads one `chat.stream` reply to its end for every screen that shows one (chat, compare): hands each
// event on, and says how the reply ended. The contract promises a closing `done` or `error` event;
// a reply without one was stopped by the user, or its link broke.
import type { ChatStreamEvent } from '../../shared/types';

export type ReplyEnding =
  /** A `done` or `error` event arrived (and was handed on). */
  | { kind: 'closed' }
  /** The user stopped it before that. */
  | { kind: 'stopped' }
  /** It ended, or failed, without one. */
  | { kind: 'broken'; message: string };

export const INCOMPLETE_REPLY = 'The reply ended before it was complete.';

/** Never throws: a failure (of the stream, or of `onEvent`) is a `stopped` or `broken` ending. */
export async function readReply(
  events: AsyncIterable<ChatStreamEvent>,
  onEvent: (event: ChatStreamEvent) => void,
  stopped: () => boolean,
): Promise<ReplyEnding> {
  let closed = false;
  try {
    for await (const event of events) {
      if (event.type === 'done' || event.type === 'error') closed = true;
      onEvent(event);
    }
  } catch (error) {
    return stopped() ? { kind: 'stopped' } : { kind: 'broken', message: (error as Error | null)?.message || String(error) };
  }
  if (closed) return { kind: 'closed' };
  return stopped() ? { kind: 'stopped' } : { kind: 'broken', message: INCOMPLETE_REPLY };
}
