// One attempt at one (target, key): its own abort controller and timeout, the ledger's record of it,
// what the shared health learns from it, and, for a stream, the guard that keeps watching the rest.
import { Cancel } from '../cancel';
import type { AttemptRecord } from '../ledger/types';
import type { ResolvedKey } from '../vault/types';
import { asAttemptError, notTheUpstream } from './attempt-errors';
import type { Attempt, FailoverInput, Served } from './failover';
import { AttemptError } from './failures';
import type { RouterHealth } from './health';
import type { Target } from './resolve';
import { untilAborted } from './abort';
import { guardStream, type Timeouts } from './timeouts';
import { withFields } from '../with-fields';

/** Who is tried and under which limits; `attempts` is the request's list, this attempt's record is added to it. */
export interface AttemptContext {
  target: Target;
  key: ResolvedKey;
  /** The target's health id (`provider/model`) and the key's (`provider/label`). */
  id: string;
  keyId: string;
  /** The target's breaker is half-open and this attempt is its one probe. */
  probe: boolean;
  timeouts: Timeouts;
  deadline: number;
  health: RouterHealth;
  attempts: AttemptRecord[];
}

/**
 * Sends one attempt through `open` under the route's timeouts. Either it is served (a stream's `rest`
 * guarded), or its failure comes back as an AttemptError, already recorded and told to the health.
 */
export async function attemptOnce<T extends object>(
  input: FailoverInput,
  open: (a: Attempt) => Promise<T>,
  a: AttemptContext,
): Promise<{ served: T & Served } | { error: AttemptError }> {
  const { target, key, id, health } = a;
  const t0 = performance.now();
  // One controller per attempt, aborted by the client's signal too (a Cancel, not an AbortController:
  // ../cancel.ts says why). Linked by a listener rather than AbortSignal.any, which costs several times more.
  const controller = new Cancel();
  const signal = controller.signal;
  if (input.signal.aborted) controller.abort(input.signal.reason);
  else input.signal.addEventListener('abort', () => controller.abort(input.signal.reason), { once: true });
  const limit = Math.max(0, Math.min(input.stream ? a.timeouts.firstTokenMs : Infinity, a.deadline - t0));
  const firstTokenLimit = input.stream === true && limit === a.timeouts.firstTokenMs;
  const timeoutMessage = firstTokenLimit ? `no first token within ${limit} ms` : 'the request ran past its total timeout';
  // Whole milliseconds: node keeps one timer list per distinct duration, and a fractional one (the time
  // left to the deadline) made a list per request. A timer may also fire up to a millisecond early
  // (libuv counts whole milliseconds): one for the deadline waits out the rest, or the failover loop
  // would see time left and start another attempt.
  const expire = (): void => {
    const left = a.deadline - performance.now();
    if (!firstTokenLimit && left > 0) timer = setTimeout(expire, Math.ceil(left));
    else controller.abort(new AttemptError('timeout', timeoutMessage));
  };
  let timer = setTimeout(expire, Math.ceil(limit));
  const record: AttemptRecord = { provider: target.provider.id, model: target.model, keyLabel: key.label, status: null, durationMs: 0 };
  a.attempts.push(record);
  input.onAttempt?.(target);
  health.begin(id, a.probe);
  let opened: T;
  try {
    opened = await untilAborted(open({ target, key, signal, transport: input.transport, timeouts: a.timeouts }), signal);
  } catch (raw) {
    const error = asAttemptError(raw, controller.signal, input.signal, timeoutMessage);
    controller.abort(); // whatever the opener left open (a body it did not read) is closed now
    Object.assign(record, { status: error.status, errorClass: error.failureClass, durationMs: performance.now() - t0 });
    if (error.retryAfterMs !== undefined) record.retryAfterMs = error.retryAfterMs;
    // Only the upstream's own behaviour moves health: our failures and the client's leaving do not.
    if (notTheUpstream(error.failureClass)) {
      if (a.probe) health.release(id);
    } else health.failure(id, error.failureClass, error.status, key.label, error.retryAfterMs);
    return { error };
  } finally {
    clearTimeout(timer);
  }
  const ttft = performance.now() - t0;
  Object.assign(record, { status: 200, durationMs: ttft, ttftMs: ttft });
  health.success(id, 200, key.label);
  health.keys.succeeded(a.keyId);
  // A non-streamed answer's time is its whole generation: it would skew the first-token average.
  if (input.stream) health.observeTtft(id, ttft);
  const served = withFields(opened, { target, keyLabel: key.label, attempts: a.attempts }) as T & Served;
  const rest = (opened as { rest?: AsyncIterator<unknown> }).rest;
  if (rest && typeof rest.next === 'function') {
    (served as unknown as { rest: AsyncIterableIterator<unknown> }).rest = guardStream(rest, {
      idleMs: a.timeouts.idleMs,
      deadline: a.deadline,
      abort: (reason) => controller.abort(reason),
      onEnd: (outcome) => {
        const elapsed = (performance.now() - t0 - ttft) / 1000;
        record.durationMs = performance.now() - t0;
        if (outcome.ok) {
          // Short bursts say more about the client's reading speed than the model's: only long streams count.
          if (elapsed >= 0.5 && outcome.items >= 10) health.observeRate(id, outcome.items / elapsed);
          return;
        }
        if (input.signal.aborted) {
          record.errorClass = 'cancelled';
          return;
        }
        const error = asAttemptError(outcome.error, controller.signal, input.signal, 'the stream timed out', 'stream');
        // The attempt opened (200) but broke mid-stream: the ledger says so and the breaker counts it
        // (unless our own code broke it).
        record.errorClass = error.failureClass;
        record.midStream = true;
        if (!notTheUpstream(error.failureClass)) health.failure(id, error.failureClass, 200, key.label);
      },
    });
  } else {
    record.durationMs = performance.now() - t0;
  }
  return { served };
}
