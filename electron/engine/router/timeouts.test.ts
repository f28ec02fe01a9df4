// The stream guard: idle and total timeouts end a stream through the upstream's abort, a consumer that
// stops early closes the upstream, and every stream reports how it ended exactly once.
import { describe, expect, it } from 'vitest';
import { guardStream, type StreamGuard } from './timeouts';

/** An upstream that yields `items` then waits until aborted, as an undici body does when its request is aborted. */
function upstream(items: string[]) {
  let rejectPending: ((e: unknown) => void) | null = null;
  let aborted: Error | null = null;
  const it: AsyncIterator<string> = {
    next: () => {
      if (aborted) return Promise.reject(aborted);
      const value = items.shift();
      if (value !== undefined) return Promise.resolve({ done: false, value });
      return new Promise((_, reject) => (rejectPending = reject));
    },
  };
  return { it, abort: (reason: Error) => ((aborted = reason), rejectPending?.(reason)), wasAborted: () => aborted };
}

function guardFor(up: ReturnType<typeof upstream>, idleMs: number, totalMs = 10_000) {
  const ends: Array<Parameters<StreamGuard['onEnd']>[0]> = [];
  const stream = guardStream(up.it, { idleMs, deadline: performance.now() + totalMs, abort: up.abort, onEnd: (o) => ends.push(o) });
  return { stream, ends };
}

describe('guardStream', () => {
  it('passes items through and reports a clean end once', async () => {
    const items = ['a', 'b'];
    const it: AsyncIterator<string> = {
      next: () => Promise.resolve(items.length ? { done: false, value: items.shift()! } : { done: true, value: undefined }),
    };
    const ends: unknown[] = [];
    const got: string[] = [];
    for await (const x of guardStream(it, {
      idleMs: 1000,
      deadline: performance.now() + 5000,
      abort: () => {},
      onEnd: (o) => ends.push(o),
    }))
      got.push(x);
    expect(got).toEqual(['a', 'b']);
    expect(ends).toEqual([{ ok: true, items: 2 }]);
  });

  it('ends a stalled upstream with the idle timeout, aborting it', async () => {
    const up = upstream(['a']);
    const { stream, ends } = guardFor(up, 60);
    expect((await stream.next()).value).toBe('a');
    await expect(stream.next()).rejects.toThrow(/sent nothing for 60 ms/);
    expect(up.wasAborted()?.message).toMatch(/sent nothing/);
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({ ok: false, items: 1 });
    await expect(stream.next()).rejects.toThrow(/sent nothing/);
  });

  it('applies the total timeout even while items keep coming', async () => {
    let n = 0;
    const it: AsyncIterator<number> = { next: () => new Promise((r) => setTimeout(() => r({ done: false, value: n++ }), 20)) };
    let abortedWith: Error | undefined;
    const stream = guardStream(it, { idleMs: 1000, deadline: performance.now() + 120, abort: (e) => (abortedWith = e), onEnd: () => {} });
    await expect(
      (async () => {
        for await (const _ of stream) {
          /* keep reading */
        }
      })(),
    ).rejects.toThrow(/total timeout/);
    expect(abortedWith?.message).toMatch(/total timeout/);
  });

  it('does not count time the consumer spends holding an item as upstream idleness', async () => {
    const up = upstream(['a', 'b']);
    const { stream, ends } = guardFor(up, 80);
    await stream.next();
    await new Promise((r) => setTimeout(r, 150)); // a slow client, not a slow upstream
    expect((await stream.next()).value).toBe('b');
    expect(ends).toHaveLength(0);
    await stream.return!();
  });

  it('closes the upstream when the consumer stops early, without calling it a failure', async () => {
    const up = upstream(['a', 'b']);
    const { stream, ends } = guardFor(up, 1000);
    for await (const x of stream) if (x === 'a') break;
    expect(up.wasAborted()?.message).toMatch(/abandoned/);
    expect(ends).toEqual([{ ok: true, items: 1 }]);
  });
});
