import { describe, expect, it } from 'vitest';
import { RouterHealth } from './health';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('RouterHealth breaker', () => {
  it('opens after the threshold of failures inside the window, not for failures spread wider', () => {
    const c = clock();
    const h = new RouterHealth({ failureThreshold: 3, windowMs: 1000, openMs: 500 }, c.now);
    h.failure('p/m', 'server', 500);
    c.advance(600);
    h.failure('p/m', 'server', 500);
    c.advance(600); // the first failure left the window
    h.failure('p/m', 'network', null);
    expect(h.availability('p/m')).toEqual({ ok: true, probe: false });
    h.failure('p/m', 'timeout', null);
    expect(h.availability('p/m')).toMatchObject({ ok: false, reason: 'breaker-open' });
  });

  it('does not trip on a busy target whose failures are a small share of its outcomes', () => {
    const c = clock();
    const h = new RouterHealth({ failureThreshold: 3, failureRate: 0.5, windowMs: 10_000 }, c.now);
    for (let i = 0; i < 200; i++) {
      c.advance(10);
      if (i % 10 === 0) h.failure('p/m', 'server', 500);
      else h.success('p/m');
    }
    expect(h.availability('p/m')).toEqual({ ok: true, probe: false });
    expect(h.snapshot().targets[0]?.failuresInWindow).toBe(20);
    for (let i = 0; i < 200; i++) h.failure('p/m', 'server', 500); // now it is mostly failing
    expect(h.availability('p/m')).toMatchObject({ ok: false, reason: 'breaker-open' });
  });

  it("ignores the caller's faults, rate limits and auth failures", () => {
    const h = new RouterHealth({ failureThreshold: 1 });
    for (const c of ['bad-request', 'context-length', 'rate-limited', 'auth', 'not-found', 'cancelled'] as const) h.failure('p/m', c, 400);
    expect(h.availability('p/m').ok).toBe(true);
  });

  it('half-opens after openMs with exactly one probe; success closes, failure re-opens', () => {
    const c = clock();
    const h = new RouterHealth({ failureThreshold: 1, openMs: 500 }, c.now);
    h.failure('p/m', 'server', 500);
    expect(h.availability('p/m').ok).toBe(false);
    c.advance(501);
    const probe = h.availability('p/m');
    expect(probe).toEqual({ ok: true, probe: true });
    h.begin('p/m', true);
    expect(h.availability('p/m')).toMatchObject({ ok: false, reason: 'probing' });
    h.failure('p/m', 'server', 500);
    expect(h.snapshot().targets[0]?.breaker).toBe('open');
    c.advance(501);
    h.begin('p/m', h.availability('p/m').ok);
    h.success('p/m');
    expect(h.availability('p/m')).toEqual({ ok: true, probe: false });
    expect(h.snapshot().targets[0]).toMatchObject({ breaker: 'closed', failuresInWindow: 0, ttftMs: null });
  });

  it('a cancelled probe releases the slot', () => {
    const c = clock();
    const h = new RouterHealth({ failureThreshold: 1, openMs: 100 }, c.now);
    h.failure('p/m', 'server', 500);
    c.advance(101);
    h.begin('p/m', true);
    h.release('p/m');
    expect(h.availability('p/m')).toEqual({ ok: true, probe: true });
  });

  it('an overloaded target with Retry-After cools down for that long, capped', () => {
    const c = clock();
    const h = new RouterHealth({ maxCooldownMs: 10_000, failureThreshold: 99 }, c.now);
    h.failure('p/m', 'overloaded', 529, undefined, 3_600_000);
    const a = h.availability('p/m');
    expect(a).toMatchObject({ ok: false, reason: 'cooling-down', until: c.now() + 10_000 });
  });
});

describe('RouterHealth keys', () => {
  // Cooldowns are per (key, model) now: the model is an argument (key-health.test.ts covers the rest).
  it('cools a key for Retry-After (capped, default when absent)', () => {
    const c = clock();
    const h = new RouterHealth({ maxCooldownMs: 5000, defaultRateLimitMs: 1000 }, c.now);
    expect(h.coolKey('p/k1', 'm', 60_000)).toBe(5000);
    expect(h.coolKey('p/k2', 'm', undefined)).toBe(1000);
    expect(h.keys.availability('p/k1', 'm', () => 'f')).toEqual({ ok: false, until: c.now() + 5000 });
    c.advance(5001);
    expect(h.keys.availability('p/k1', 'm', () => 'f')).toEqual({ ok: true, probe: false });
  });

  // Retired until its secret changes or (key-health.test.ts) a re-probe after the backoff succeeds.
  it('retires a key until its secret changes, and reports it by label only', () => {
    const h = new RouterHealth();
    h.retireKey('p/main', 401, 'Incorrect API key provided.', 'fp-old');
    expect(h.keys.availability('p/main', 'm', () => 'fp-old')).toEqual({ ok: false, until: Infinity });
    expect(h.snapshot().keys).toEqual([expect.objectContaining({ provider: 'p', label: 'main', state: 'retired', status: 401 })]);
    expect(h.keys.availability('p/main', 'm', () => 'fp-new')).toEqual({ ok: true, probe: false });
    expect(h.snapshot().keys).toEqual([]);
  });
});
