// An async iterator that can also hand over, without a promise, an item it already holds: a stream
// relay (gateway/relay.ts) drains the events of one upstream read in one step instead of awaiting each.

export interface PollableIterator<T> extends AsyncIterableIterator<T> {
  /**
   * The next item when it is already here, else undefined: then next() waits for it, or reports the end
   * or a failure. Never reports the end or a failure itself, so callers fall back to next() for those.
   */
  poll(): T | undefined;
}

/** Whether `it` can hand over items it holds without a promise (pass-through streams can; translations need not). */
export const isPollable = <T>(it: AsyncIterator<T>): it is PollableIterator<T> =>
  typeof (it as Partial<PollableIterator<T>>).poll === 'function';
