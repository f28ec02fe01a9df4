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
 */
export async function* guardStream<T>(rest: AsyncIterator<T>, guard: StreamGuard): AsyncGenerator<T> {
  let items = 0;
  let ended = false;
  const end = (outcome: Parameters<StreamGuard['onEnd']>[0]) => {
    if (ended) return;
    ended = true;
    guard.onEnd(outcome);
  };
  try {
    for (;;) {
      const remaining = guard.deadline - performance.now();
      const idle = guard.idleMs <= remaining;
      let timer: NodeJS.Timeout | undefined;
      const next = await new Promise<IteratorResult<T>>((resolve, reject) => {
        timer = setTimeout(() => {
          const error = idle
            ? new AttemptError('timeout', `upstream sent nothing for ${guard.idleMs} ms mid-stream`)
            : new AttemptError('timeout', 'the request ran past its total timeout');
          guard.abort(error);
          reject(error);
        }, Math.max(0, Math.min(guard.idleMs, remaining)));
        rest.next().then(resolve, reject);
      }).finally(() => clearTimeout(timer));
      if (next.done) break;
      items++;
      yield next.value;
    }
    end({ ok: true, items });
  } catch (error) {
    end({ ok: false, items, error });
    throw error;
  } finally {
    if (!ended) {
      // The consumer stopped early (client gone or done with it): close the upstream now.
      // Not the upstream's fault, so it is not recorded as a failure.
      end({ ok: true, items });
      guard.abort(new Error('stream abandoned by its consumer'));
    }
  }
}
