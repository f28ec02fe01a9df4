import { describe, expect, it } from 'vitest';
import { dailySeries } from './spend-data';

const g = (key: string, costUsd: number) => ({ key, costUsd, requests: 1, inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, unknownCostRequests: 0 });

describe('dailySeries', () => {
  it('fills the days without requests with zero', () => {
    const now = Date.parse('2026-03-10T12:00:00Z');
    const s = dailySeries([g('2026-03-05', 0.5), g('2026-03-10', 1.25)], '7d', now);
    expect(s.x).toHaveLength(7);
    expect(s.x[6]).toBe(Date.parse('2026-03-10T00:00:00Z') / 1000);
    expect(s.y).toEqual([0, 0.5, 0, 0, 0, 0, 1.25]);
  });
});
