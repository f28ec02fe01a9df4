// The shared watch over request bodies' deadlines (body-watch.ts): how often it looks, that a body is
// checked until it is done with and never after, and that a shorter period speeds the watch up.
import { afterEach, describe, expect, it } from 'vitest';
import { watchBody, watchPeriodMs } from './body-watch';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const unwatchers: Array<() => void> = [];
afterEach(() => {
  for (const unwatch of unwatchers.splice(0)) unwatch();
});

describe('the body watch', () => {
  it('looks every tenth of the shortest deadline, between 5 and 250 ms', () => {
    expect(watchPeriodMs(30_000)).toBe(250);
    expect(watchPeriodMs(1_000)).toBe(100);
    expect(watchPeriodMs(300)).toBe(30);
    expect(watchPeriodMs(10)).toBe(5);
  });

  it('checks a body until its check says it is done, and never after', async () => {
    const times: number[] = [];
    unwatchers.push(watchBody((now) => times.push(now) >= 3, 5));
    await sleep(120);
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(3); // an interval, not a loop (libuv may fire a millisecond early)
  });

  it('stops checking a body once unwatched (its end)', async () => {
    let checks = 0;
    const unwatch = watchBody(() => (checks++, false), 5);
    await sleep(40);
    unwatch();
    const seen = checks;
    expect(seen).toBeGreaterThan(0);
    await sleep(40);
    expect(checks).toBe(seen);
  });

  it('looks sooner when a body with a shorter deadline joins one with a long one', async () => {
    unwatchers.push(watchBody(() => false, 250));
    let firstCheckAfter: number | undefined;
    const joined = performance.now();
    unwatchers.push(watchBody((now) => ((firstCheckAfter ??= now - joined), false), 5));
    await sleep(100);
    expect(firstCheckAfter).toBeDefined();
    expect(firstCheckAfter!).toBeLessThan(100);
  });
});
