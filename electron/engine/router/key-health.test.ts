// Per-key health with an injected clock: cooldowns per (key, model) or for the whole key, and a
// retired key's single re-probe on a doubling backoff (1 min, 2, 4 ... capped at 30 min).
import { describe, expect, it } from 'vitest';
import { RouterHealth } from './health';
import { MAX_MODEL_COOLDOWNS, retiredProbeDelay } from './key-health';

const MIN = 60_000;

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const fp = () => 'fp';

describe('rate-limit cooldowns per (key, model)', () => {
  it('a 429 on model x leaves model y of the same key usable', () => {
    const c = clock();
    const h = new RouterHealth({ maxCooldownMs: 60_000 }, c.now);
    expect(h.coolKey('acme/main', 'x', 30_000)).toBe(30_000);
    expect(h.keys.availability('acme/main', 'x', fp)).toEqual({ ok: false, until: c.now() + 30_000 });
    expect(h.keys.availability('acme/main', 'y', fp)).toEqual({ ok: true, probe: false });
    expect(h.snapshot().keys).toEqual([
      expect.objectContaining({ provider: 'acme', label: 'main', model: 'x', state: 'cooling-down', until: c.now() + 30_000 }),
    ]);
    c.advance(30_001);
    expect(h.keys.availability('acme/main', 'x', fp)).toEqual({ ok: true, probe: false });
    expect(h.snapshot().keys).toEqual([]);
  });

  it('an account-wide limit cools every model of the key; without Retry-After for the longest cooldown', () => {
    const c = clock();
    const h = new RouterHealth({ maxCooldownMs: 50_000, defaultRateLimitMs: 1000 }, c.now);
    expect(h.coolKey('acme/main', 'x', undefined, 'key')).toBe(50_000);
    expect(h.keys.availability('acme/main', 'y', fp)).toEqual({ ok: false, until: c.now() + 50_000 });
    expect(h.snapshot().keys).toEqual([expect.objectContaining({ model: null, state: 'cooling-down' })]);
  });

  it('per-key model cooldowns are bounded however many model names are limited', () => {
    const c = clock();
    const h = new RouterHealth({}, c.now);
    for (let i = 0; i < 5000; i++) h.coolKey('acme/main', `m${i}`, 10_000);
    const keys = h.snapshot().keys;
    expect(keys.length).toBe(MAX_MODEL_COOLDOWNS);
    expect(keys.at(-1)).toMatchObject({ model: 'm4999' }); // the newest are kept
    expect(h.keys.availability('acme/main', 'm4999', fp).ok).toBe(false);
  });
});

describe('a retired key is re-probed after a backoff', () => {
  it('the backoff is 1 min, doubling per failed probe, capped at 30 min', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 40].map((n) => retiredProbeDelay(n) / MIN)).toEqual([1, 2, 4, 8, 16, 30, 30, 30]);
  });

  it('one request probes after the backoff; a failed probe doubles the wait; a successful one returns the key', () => {
    const c = clock();
    const h = new RouterHealth({}, c.now);
    h.retireKey('p/k', 401, 'Incorrect API key provided.', 'fp');
    expect(h.snapshot().keys).toEqual([expect.objectContaining({ state: 'retired', nextCheckAt: c.now() + MIN, failedProbes: 0 })]);
    c.advance(MIN - 1);
    expect(h.keys.availability('p/k', 'm', fp)).toEqual({ ok: false, until: Infinity });
    c.advance(1);
    expect(h.keys.availability('p/k', 'm', fp)).toEqual({ ok: true, probe: true });
    h.keys.probeStarted('p/k');
    // Only one request at a time may be the probe.
    expect(h.keys.availability('p/k', 'm', fp)).toEqual({ ok: false, until: Infinity });
    h.retireKey('p/k', 401, 'still refused', 'fp', true);
    expect(h.snapshot().keys).toEqual([expect.objectContaining({ state: 'retired', nextCheckAt: c.now() + 2 * MIN, failedProbes: 1 })]);
    for (const wait of [2, 4, 8, 16, 30, 30]) {
      c.advance(wait * MIN - 1);
      expect(h.keys.availability('p/k', 'm', fp).ok).toBe(false);
      c.advance(1);
      expect(h.keys.availability('p/k', 'm', fp)).toEqual({ ok: true, probe: true });
      h.keys.probeStarted('p/k');
      h.retireKey('p/k', 401, 'still refused', 'fp', true);
    }
    c.advance(30 * MIN);
    expect(h.keys.availability('p/k', 'm', fp)).toEqual({ ok: true, probe: true });
    h.keys.probeStarted('p/k');
    h.keys.succeeded('p/k');
    expect(h.keys.availability('p/k', 'm', fp)).toEqual({ ok: true, probe: false });
    expect(h.snapshot().keys).toEqual([]);
  });

  it('a probe that says nothing about the key (a 500, a cancel) frees the slot without changing the backoff', () => {
    const c = clock();
    const h = new RouterHealth({}, c.now);
    h.retireKey('p/k', 403, 'forbidden', 'fp');
    c.advance(MIN);
    h.keys.probeStarted('p/k');
    h.keys.probeEnded('p/k');
    expect(h.keys.availability('p/k', 'm', fp)).toEqual({ ok: true, probe: true });
    expect(h.snapshot().keys[0]).toMatchObject({ failedProbes: 0 });
  });

  it('a refusal from a request that was not the probe keeps the schedule', () => {
    const c = clock();
    const h = new RouterHealth({}, c.now);
    h.retireKey('p/k', 401, 'refused', 'fp');
    c.advance(30_000);
    h.retireKey('p/k', 401, 'refused again (a request started before the key was retired)', 'fp');
    expect(h.snapshot().keys[0]).toMatchObject({ nextCheckAt: c.now() + 30_000, failedProbes: 0 });
  });

  it('a changed secret returns the key at once, whatever the backoff', () => {
    const c = clock();
    const h = new RouterHealth({}, c.now);
    h.retireKey('p/k', 401, 'refused', 'fp-old');
    expect(h.keys.availability('p/k', 'm', () => 'fp-new')).toEqual({ ok: true, probe: false });
  });

  it('the probe timing follows the settings', () => {
    const c = clock();
    const h = new RouterHealth({}, c.now);
    h.configure({ retiredProbeMs: 1000, retiredProbeMaxMs: 3000 });
    h.retireKey('p/k', 401, 'refused', 'fp');
    expect(h.snapshot().keys[0]).toMatchObject({ nextCheckAt: c.now() + 1000 });
  });
});
