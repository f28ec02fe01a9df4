// Health stays bounded whatever model names clients make up: configured targets are always kept,
// ad-hoc ones share a capped least-recently-used set, and the snapshot for the UI stays small.
import { describe, expect, it } from 'vitest';
import { MAX_AD_HOC_TARGETS, RouterHealth } from './health';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('RouterHealth bounds', () => {
  it('10,000 distinct ad-hoc names keep at most the cap; configured targets are never evicted', () => {
    const c = clock();
    const h = new RouterHealth({ failureThreshold: 1, openMs: 60_000 }, c.now);
    h.setConfigured(['acme/configured', 'beta/other']);
    h.failure('acme/configured', 'server', 500); // its breaker opens: that state must survive the flood
    h.success('beta/other');
    for (let i = 0; i < 10_000; i++) {
      c.advance(1);
      h.begin(`acme/adhoc-${i}`, false);
      if (i % 2) h.failure(`acme/adhoc-${i}`, 'not-found', 404);
      else h.success(`acme/adhoc-${i}`);
    }
    const snap = h.snapshot();
    expect(snap.targets.length).toBe(MAX_AD_HOC_TARGETS + 2);
    expect(snap.targets.find((t) => t.model === 'configured')).toMatchObject({ breaker: 'open' });
    expect(snap.targets.find((t) => t.model === 'other')).toMatchObject({ successes: 1 });
    expect(snap.targets.some((t) => t.model === 'adhoc-9999')).toBe(true);
    expect(snap.targets.some((t) => t.model === 'adhoc-0')).toBe(false);
    expect(h.availability('acme/configured')).toMatchObject({ ok: false, reason: 'breaker-open' });
    expect(JSON.stringify(snap).length).toBeLessThan(200_000);
  });

  it('an ad-hoc target in use is kept over idle ones (least recently used goes first)', () => {
    const h = new RouterHealth({ failureThreshold: 1, openMs: 60_000 });
    h.setConfigured([]);
    h.failure('acme/busy', 'server', 500);
    for (let i = 0; i < MAX_AD_HOC_TARGETS * 3; i++) {
      h.success(`acme/n${i}`);
      if (i % 50 === 0) h.failure('acme/busy', 'server', 500); // still in use: stays
    }
    expect(h.snapshot().targets.find((t) => t.model === 'busy')).toMatchObject({ breaker: 'open' });
  });

  it('a target that leaves the configuration becomes ad-hoc; one that joins it is kept', () => {
    const h = new RouterHealth();
    h.setConfigured(['acme/a']);
    h.success('acme/a');
    h.success('acme/b');
    h.setConfigured(['acme/b']);
    for (let i = 0; i < MAX_AD_HOC_TARGETS + 10; i++) h.success(`acme/n${i}`);
    const ids = h.snapshot().targets.map((t) => t.model);
    expect(ids).toContain('b');
    expect(ids).not.toContain('a');
  });

  it('reading availability or latency of unknown targets stores nothing', () => {
    const h = new RouterHealth();
    for (let i = 0; i < 1000; i++) {
      h.availability(`acme/r${i}`);
      h.latency(`acme/r${i}`);
    }
    expect(h.snapshot().targets).toEqual([]);
  });
});
