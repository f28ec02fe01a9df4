// Bounded polling for tests that wait on something another process or timer does: a condition either
// holds within its limit or the wait fails with a typed error (never an endless loop).
import { setTimeout as delay } from 'node:timers/promises';

export class WaitTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`not reached within ${ms} ms`);
    this.name = 'WaitTimeoutError';
  }
}

/** Checks `check` every `everyMs` until it holds, for at most `ms`; returns how long it took (ms). */
export async function waitUntil(check: () => boolean | Promise<boolean>, ms: number, everyMs = 50): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new WaitTimeoutError(ms);
    await delay(everyMs);
  }
  return Date.now() - start;
}
