// One attempt's total timeout: it ends the attempt at the request's deadline, never before it, so the
// failover loop does not start another attempt in what is left of a millisecond.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../settings/config-schema';
import { Transport } from '../providers/transport';
import type { Vault } from '../vault/types';
import { attemptOnce } from './attempt';
import { RouterHealth } from './health';
import { RouteTable } from './resolve';
import { DEFAULT_TIMEOUTS } from './timeouts';

const cfg = parseConfig({
  providers: [{ id: 'a', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:1/v1', keys: [{ env: 'K' }], models: [{ id: 'm' }] }],
  routes: [{ name: 'r', targets: [{ provider: 'a', model: 'm' }] }],
});
const vault: Vault = { keysFor: () => [], setKeychainKey: () => undefined, deleteKeychainKey: () => false, describe: () => [] };

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('attemptOnce', () => {
  it('times a non-streamed attempt out at the deadline, not the millisecond before it that the timer rounds to', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    // libuv counts whole milliseconds from the loop's clock, so a timer can fire up to 1 ms early: here every one does.
    const fakeSetTimeout = globalThis.setTimeout;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms = 0) =>
      fakeSetTimeout(fn, Math.max(1, ms - 1))) as unknown as typeof setTimeout);
    const health = new RouterHealth();
    const { plan, targets } = new RouteTable(cfg.providers, cfg.routes, [], health).resolve('r');
    const target = targets[0]!;
    const deadline = performance.now() + 10.5;
    let abortedAt = -1;
    const result = attemptOnce(
      { plan, vault, transport: new Transport(), signal: new AbortController().signal },
      ({ signal }) =>
        new Promise<{ ok: boolean }>((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            abortedAt = performance.now();
            reject(signal.reason as Error);
          });
        }),
      {
        target,
        key: { label: 'k', secret: 'secret' },
        id: 'a/m',
        keyId: 'a/k',
        probe: false,
        timeouts: DEFAULT_TIMEOUTS,
        deadline,
        health,
        attempts: [],
      },
    );
    await vi.advanceTimersByTimeAsync(20);
    const outcome = await result;
    expect('error' in outcome && outcome.error.failureClass).toBe('timeout');
    expect(abortedAt).toBeGreaterThanOrEqual(deadline);
  });
});
