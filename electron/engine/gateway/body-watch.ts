// One timer for the deadlines of every request body still arriving, instead of one per request: nearly
// every body arrives in one piece long before any deadline, and at low concurrency a timer of its own
// made node create and drop a timer list for each request (~13 µs of the port's request path).
import { ChurnSet } from '../churn-set';

/** A body being read: `check` refuses it when a deadline has passed, and says whether it is done with. */
export type BodyCheck = (now: number) => boolean;

/** How often the watch looks, for deadlines of `shortestMs`: a tenth of it, within [5 ms, 250 ms]. */
export const watchPeriodMs = (shortestMs: number): number => Math.max(5, Math.min(250, Math.floor(shortestMs / 10)));

/** Each watched body's check with its place in the set (ChurnSet: bodies come and go at the rate of requests). */
const watched = new ChurnSet<{ check: BodyCheck; churnSlot: number }>();
let timer: NodeJS.Timeout | undefined;
let period = Infinity;

function look(): void {
  const now = performance.now();
  watched.forEach((entry) => {
    if (entry.check(now)) watched.delete(entry);
  });
  // Nothing left to watch: the timer stops, and the next body starts it again.
  if (watched.size === 0) stop();
}

function stop(): void {
  clearInterval(timer);
  timer = undefined;
  period = Infinity;
}

/**
 * Watches a body by its `check` until the returned function is called (its end) or the check says it
 * is done. The watch looks every `periodMs` (the shortest period any watched body asked for), so a
 * deadline is enforced at most one period late.
 */
export function watchBody(check: BodyCheck, periodMs: number): () => void {
  const entry = { check, churnSlot: -1 };
  watched.add(entry);
  if (periodMs < period) {
    clearInterval(timer);
    period = periodMs;
    timer = setInterval(look, periodMs);
    // The port's server keeps the process alive, not a body's deadline.
    timer.unref();
  }
  return () => watched.delete(entry);
}
