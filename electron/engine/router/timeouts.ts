// Per-route timeouts (connect, time to first token, idle between chunks, total) with their defaults,
// and the guard that applies idle and total to the part of a stream read after the first token.
import type { RouteTimeouts } from '../settings/config-schema';
import { AttemptError } from './failures';

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
  /** Aborts the upstream request (closes its connection). */
  abort(reason: Error): void;
  /** Called once: how the stream ended and how many items it yielded. */
  onEnd(outcome: { ok: true; items: number } | { ok: false; items: number; error: unknown }): void;
}

/**
 * Wraps the rest of an upstream stream: each item must arrive within `idleMs` of the last and before
 * the deadline, or the upstream is aborted and a timeout error is thrown to the consumer. A consumer
 * that stops early (return/throw) also aborts the upstream, so no connection is left reading.
 * One watchdog timer per stream, re-armed lazily when it fires: streams carry hundreds of chunks, and
 * a timer and a promise per chunk would cost more than the chunk itself.
 */
export async function* guardStream<T>(rest: AsyncIterator<T>, guard: StreamGuard): AsyncGenerator<T> {
  let items = 0;
  let ended = false;
  // When the guard started waiting on the upstream; null while the consumer holds an item (a slow
  // client is the port's business, not an idle upstream).
  let waitingSince: number | null = performance.now();
  let fired: AttemptError | undefined;
  let rejectWaiting: ((error: AttemptError) => void) | undefined;
  const end = (outcome: Parameters<StreamGuard['onEnd']>[0]) => {
    if (ended) return;
    ended = true;
    guard.onEnd(outcome);
  };
  let timer: NodeJS.Timeout | undefined;
  const watch = () => {
    const now = performance.now();
    const idleLeft = waitingSince === null ? guard.idleMs : waitingSince + guard.idleMs - now;
    const totalLeft = guard.deadline - now;
    if (idleLeft > 0 && totalLeft > 0) {
      timer = setTimeout(watch, Math.min(idleLeft, totalLeft));
      return;
    }
    fired = totalLeft <= 0
      ? new AttemptError('timeout', 'the request ran past its total timeout')
      : new AttemptError('timeout', `upstream sent nothing for ${guard.idleMs} ms mid-stream`);
    guard.abort(fired);
    rejectWaiting?.(fired);
  };
  timer = setTimeout(watch, Math.max(0, Math.min(guard.idleMs, guard.deadline - performance.now())));
  // Settles only when the watchdog fires, so a stuck upstream cannot keep the consumer waiting.
  const timedOut = new Promise<never>((_, reject) => (rejectWaiting = reject));
  timedOut.catch(() => {});
  try {
    for (;;) {
      let next: IteratorResult<T>;
      waitingSince = performance.now();
      try {
        next = await Promise.race([rest.next(), timedOut]);
      } catch (error) {
        throw fired ?? error;
      }
      if (fired) throw fired;
      if (next.done) break;
      items++;
      waitingSince = null;
      yield next.value;
    }
    end({ ok: true, items });
  } catch (error) {
    end({ ok: false, items, error });
    throw error;
  } finally {
    clearTimeout(timer);
    if (!ended) {
      // The consumer stopped early (client gone or done with it): close the upstream now.
      // Not the upstream's fault, so it is not recorded as a failure.
      end({ ok: true, items });
      guard.abort(new Error('stream abandoned by its consumer'));
    }
  }
}
