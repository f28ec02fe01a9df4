import { describe, expect, it } from 'vitest';
import { dailySeries, stackedSeries, unknownLayers } from './spend-data';

const g = (key: string, costUsd: number) => ({ key, costUsd, knownCostUsd: costUsd, requests: 1, inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, unknownCostRequests: 0 });

describe('dailySeries', () => {
  it('fills the days without requests with zero', () => {
    const now = Date.parse('2026-03-10T12:00:00Z');
    const s = dailySeries([g('2026-03-05', 0.5), g('2026-03-10', 1.25)], '7d', now);
    expect(s.x).toHaveLength(7);
    expect(s.x[6]).toBe(Date.parse('2026-03-10T00:00:00Z') / 1000);
    expect(s.y).toEqual([0, 0.5, 0, 0, 0, 0, 1.25]);
  });
});

describe('stackedSeries', () => {
  const p = (day: string, key: string, costUsd: number) => ({ ...g(key, costUsd), day });
  it('lays each key over the days, biggest first, and folds the tail into Other', () => {
    const now = Date.parse('2026-03-10T12:00:00Z');
    const s = stackedSeries({ by: 'model', points: [p('2026-03-09', 'a/x', 1), p('2026-03-10', 'b/y', 3), p('2026-03-10', 'a/x', 0.5), p('2026-01-01', 'old/z', 9)] }, '7d', now);
    expect(s.stacks.map((l) => l.label)).toEqual(['b/y', 'a/x']);
    expect(s.stacks[1]!.values).toEqual([0, 0, 0, 0, 0, 1, 0.5]);
    const many = stackedSeries({ by: 'model', points: Array.from({ length: 9 }, (_, i) => p('2026-03-10', `k${i}`, i + 1)) }, '7d', now);
    expect(many.stacks).toHaveLength(7);
    expect(many.stacks.at(-1)).toEqual({ label: 'Other', values: [0, 0, 0, 0, 0, 0, 1 + 2 + 3] });
  });
});

describe('unknown costs', () => {
  it('charts the known part of a day with unknown costs, and names the layers that have them', () => {
    const now = Date.parse('2026-03-10T12:00:00Z');
    // A day with $0.25 known and 3 requests of unknown cost: its cost is null, its bar is the known $0.25.
    const partial = { ...g('a/x', 0), costUsd: null, knownCostUsd: 0.25, unknownCostRequests: 3, day: '2026-03-10' };
    const s = stackedSeries({ by: 'model', points: [partial, { ...g('b/y', 1), day: '2026-03-10' }] }, '7d', now);
    expect(s.stacks.find((l) => l.label === 'a/x')!.values.at(-1)).toBe(0.25);
    expect(unknownLayers({ by: 'model', points: [partial] })).toEqual(['a/x']);
    expect(dailySeries([{ ...g('2026-03-10', 0), costUsd: null, knownCostUsd: 0.5, unknownCostRequests: 1 }], '7d', now).y.at(-1)).toBe(0.5);
  });
});
