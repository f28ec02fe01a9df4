// Abort helpers for the failover loop: a sleep the client can cut short, and a race that stops
// waiting on an opener the moment its attempt is aborted.
import type { CancelSignal } from '../cancel';

/** Resolves after `ms`, or at once when `signal` aborts. */
export const sleep = (ms: number, signal: CancelSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Settles with the opener, or rejects as soon as the attempt is aborted (timeout, client gone) even if
 * the opener does not notice; a result that arrives after that has its stream closed.
 */
export function untilAborted<T>(opening: Promise<T>, signal: CancelSignal): Promise<T> {
  if (signal.aborted) {
    opening.then(closeLate, () => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      opening.then(closeLate, () => undefined);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    opening.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function closeLate(value: unknown): void {
  const rest = (value as { rest?: AsyncIterator<unknown> } | null)?.rest;
  void rest?.return?.(undefined)?.catch(() => undefined);
}
