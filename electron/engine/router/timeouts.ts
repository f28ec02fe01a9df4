// Per-route timeouts (connect, time to first token, idle between chunks, total) with their defaults,
// and the guard that applies idle and total to the part of a stream read after the first token.
import type { RouteTimeouts } from '../settings/config-schema';
import { AttemptError } from './failures';
import { isPollable, type PollableIterator } from '../pollable';

export interface Timeouts {
  connectMs: number;
  firstTokenMs: number;
  idleMs: number;
  totalMs: number;
}

/** Generous enough for reasoning models that think for minutes before the first token. */
export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 10_000, firstTokenMs: 180_000, idleMs: 120_000, totalMs: 900_000 };

export const resolveTimeouts = (t: RouteTimeouts | undefined): Timeouts => ({ ...DEFAULT_TIMEOUTS, ...t });

export interface StreamGuard {
  idleMs: number;
  /** performance.now() by which the whole request must be done. */
  deadline: number;
  /**
   * Aborts the upstream request (closes its connection). The stream being guarded must then reject
   * its pending next(): the watchdog relies on it rather than racing every item against a timer.
   */
  abort(reason: Error): void;
  /** Called once: how the stream ended and how many items it yielded. */
  onEnd(outcome: { ok: true; items: number } | { ok: false; items: number; error: unknown }): void;
}

/**
 * Wraps the rest of an upstream stream: each item must arrive within `idleMs` of the last and before
 * the deadline, or the upstream is aborted and a timeout error is thrown to the consumer. A consumer
 * that stops early (return/throw) also aborts the upstream, so no connection is left reading.
 * One watchdog timer per stream, re-armed lazily when it fires, and no generator or Promise.race per
 * item: streams carry hundreds of chunks, and that machinery cost more than the chunk itself.
 */
export function guardStream<T>(rest: AsyncIterator<T>, guard: StreamGuard): PollableIterator<T> {
  return new GuardedStream(rest, guard);
}

class GuardedStream<T> implements PollableIterator<T> {
  #items = 0;
  #ended = false;
  /** When the guard started waiting on the upstream; null while the consumer holds an item (a slow
   * client is the port's business, not an idle upstream). */
  #waitingSince: number | null = performance.now();
  #fired: AttemptError | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** The upstream stream when it can hand over items it holds (an SSE reader can; a translation cannot). */
  readonly #pollable: PollableIterator<T> | undefined;
  readonly #onItem = (result: IteratorResult<T>): IteratorResult<T> => {
    // The upstream answered just as the watchdog fired: the timeout stands.
    if (this.#fired) return this.#onError(this.#fired);
    if (result.done) this.#end({ ok: true, items: this.#items });
    else {
      this.#items++;
      this.#waitingSince = null;
    }
    return result;
  };
  readonly #onError = (raw: unknown): never => {
    const error = this.#fired ?? raw;
    this.#end({ ok: false, items: this.#items, error });
    throw error;
  };

  constructor(
    private readonly rest: AsyncIterator<T>,
    private readonly guard: StreamGuard,
  ) {
    this.#pollable = isPollable(rest) ? rest : undefined;
    // Whole milliseconds: node keeps a timer list per distinct duration (attempt.ts says why that matters).
    this.#timer = setTimeout(this.#watch, Math.ceil(Math.max(0, Math.min(guard.idleMs, guard.deadline - performance.now()))));
  }

  readonly #watch = () => {
    const now = performance.now();
    const idleLeft = this.#waitingSince === null ? this.guard.idleMs : this.#waitingSince + this.guard.idleMs - now;
    const totalLeft = this.guard.deadline - now;
    if (idleLeft > 0 && totalLeft > 0) {
      this.#timer = setTimeout(this.#watch, Math.ceil(Math.min(idleLeft, totalLeft)));
      return;
    }
    this.#fired =
      totalLeft <= 0
        ? new AttemptError('timeout', 'the request ran past its total timeout')
        : new AttemptError('timeout', `upstream sent nothing for ${this.guard.idleMs} ms mid-stream`);
    // Aborting closes the upstream body, which rejects the pending next() with it: every upstream
    // reader here reads an undici body (see the contract on StreamGuard.abort).
    this.guard.abort(this.#fired);
  };

  #end(outcome: Parameters<StreamGuard['onEnd']>[0]): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#timer);
    this.guard.onEnd(outcome);
  }

  /** An item the upstream already sent (nothing is waited for); a timeout or the end is left to next(). */
  poll(): T | undefined {
    if (this.#fired || this.#ended || !this.#pollable) return undefined;
    const item = this.#pollable.poll();
    if (item !== undefined) {
      this.#items++;
      this.#waitingSince = null;
    }
    return item;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#fired) return Promise.reject(this.#fired);
    if (this.#ended) return Promise.resolve({ done: true, value: undefined });
    this.#waitingSince = performance.now();
    // One derived promise per item: no wrapper promise, no race against the watchdog.
    return this.rest.next().then(this.#onItem, this.#onError);
  }

  /** The consumer stopped early (client gone or done with it): close the upstream now. Not the
   * upstream's fault, so it is not recorded as a failure. */
  return(): Promise<IteratorResult<T>> {
    if (!this.#ended) {
      this.#end({ ok: true, items: this.#items });
      this.guard.abort(new Error('stream abandoned by its consumer'));
      void this.rest.return?.(undefined)?.catch(() => undefined);
    }
    return Promise.resolve({ done: true, value: undefined });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
