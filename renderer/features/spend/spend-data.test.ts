// The chart's plan (hours for spend within two days, else days from the first spend) and its layers.
import { describe, expect, it } from 'vitest';
import { chartPlan, stackedSeries, unknownLayers } from './spend-data';

const totals = (costUsd: number) => ({
  costUsd,
  knownCostUsd: costUsd,
  requests: 1,
  inputTokens: 1,
  outputTokens: 1,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  unknownCostRequests: 0,
});
const p = (day: string, key: string, costUsd: number) => ({ ...totals(costUsd), day, key });
const now = Date.parse('2026-03-10T12:30:00Z');

describe('chartPlan', () => {
  it('charts spend within two days per hour, from its first day (at least a day of hours), whatever the range', () => {
    const daily = { by: 'model' as const, points: [p('2026-03-10', 'a/x', 1)] };
    // Today's spend at 12:30: the last 24 hours, not a lone bar for 00:00-12:00.
    expect(chartPlan(daily, '30d', now)).toEqual({ bucket: 'hour', from: Date.parse('2026-03-09T13:00:00Z') });
    expect(chartPlan({ by: null, points: [p('2026-03-09', '', 1)] }, 'all', now)).toEqual({
      bucket: 'hour',
      from: Date.parse('2026-03-09T00:00:00Z'),
    });
    // The last 24 hours start inside yesterday: the chart starts there too.
    expect(chartPlan({ by: null, points: [p('2026-03-09', '', 1)] }, '24h', now)).toEqual({
      bucket: 'hour',
      from: Date.parse('2026-03-09T12:00:00Z'),
    });
    expect(chartPlan({ by: null, points: [p('2026-03-10', '', 1)] }, '30d', Date.parse('2026-03-10T00:10:00Z'))?.from).toBe(
      Date.parse('2026-03-09T01:00:00Z'),
    );
  });

  it('charts longer spans per day from the first spend, at least a week', () => {
    expect(chartPlan({ by: null, points: [p('2026-03-05', '', 1), p('2026-03-10', '', 1)] }, '30d', now)).toEqual({
      bucket: 'day',
      from: Date.parse('2026-03-04T00:00:00Z'),
    });
    expect(chartPlan({ by: null, points: [p('2026-02-01', '', 1)] }, '90d', now)).toEqual({
      bucket: 'day',
      from: Date.parse('2026-02-01T00:00:00Z'),
    });
    expect(chartPlan({ by: null, points: [] }, '30d', now)).toBeNull();
  });
});

describe('stackedSeries', () => {
  it('lays each key over the days, biggest first, and folds the tail into Other', () => {
    const plan = { bucket: 'day' as const, from: Date.parse('2026-03-04T00:00:00Z') };
    const s = stackedSeries(
      {
        by: 'model',
        points: [p('2026-03-09', 'a/x', 1), p('2026-03-10', 'b/y', 3), p('2026-03-10', 'a/x', 0.5), p('2026-01-01', 'old/z', 9)],
      },
      plan,
      now,
    );
    expect(s.x).toHaveLength(7);
    expect(s.x[6]).toBe(Date.parse('2026-03-10T00:00:00Z') / 1000);
    expect(s.stacks.map((l) => l.label)).toEqual(['b/y', 'a/x']);
    expect(s.stacks[1]!.values).toEqual([0, 0, 0, 0, 0, 1, 0.5]);
    const many = stackedSeries({ by: 'model', points: Array.from({ length: 9 }, (_, i) => p('2026-03-10', `k${i}`, i + 1)) }, plan, now);
    expect(many.stacks).toHaveLength(7);
    expect(many.stacks.at(-1)).toEqual({ label: 'Other', values: [0, 0, 0, 0, 0, 0, 1 + 2 + 3], other: true });
  });

  it('lays hourly points on hour buckets up to the current hour', () => {
    const plan = { bucket: 'hour' as const, from: Date.parse('2026-03-10T00:00:00Z') };
    const s = stackedSeries({ by: 'model', points: [p('2026-03-10T03', 'a/x', 2), p('2026-03-10T12', 'a/x', 1)] }, plan, now);
    expect(s.x).toHaveLength(13);
    expect(s.stacks[0]!.values[3]).toBe(2);
    expect(s.stacks[0]!.values[12]).toBe(1);
  });
});

describe('unknown costs', () => {
  it('charts the known part of a day with unknown costs, and names the layers that have them', () => {
    // A day with $0.25 known and 3 requests of unknown cost: its cost is null, its bar is the known $0.25.
    const partial = { ...p('2026-03-10', 'a/x', 0), costUsd: null, knownCostUsd: 0.25, unknownCostRequests: 3 };
    const s = stackedSeries(
      { by: 'model', points: [partial, p('2026-03-10', 'b/y', 1)] },
      { bucket: 'day', from: Date.parse('2026-03-04T00:00:00Z') },
      now,
    );
    expect(s.stacks.find((l) => l.label === 'a/x')!.values.at(-1)).toBe(0.25);
    expect(unknownLayers({ by: 'model', points: [partial] })).toEqual(['a/x']);
  });
});
