// The meta line's wording is part of the product: check costs, unknown prices and retries.
import { describe, expect, it } from 'vitest';
import { formatCost, metaParts } from './format';

describe('formatCost', () => {
  it('shows small amounts to four decimals and never hides an unknown price', () => {
    expect(formatCost(0.000123)).toBe('$0.0001');
    expect(formatCost(0.00002)).toBe('<$0.0001');
    expect(formatCost(1.5)).toBe('$1.50');
    expect(formatCost(0)).toBe('$0.00');
    expect(formatCost(null)).toBe('cost unknown');
  });
});

describe('metaParts', () => {
  const report = {
    provider: 'acme',
    model: 'm1',
    usage: { inputTokens: 1200, outputTokens: 34 },
    costUsd: 0.000123,
    ttftMs: 87,
    attempts: 1,
  };

  it('lists model, tokens, cost and time to first token', () => {
    expect(metaParts(report)).toEqual(['acme/m1', '1,200 in / 34 out tokens', '$0.0001', 'first token 87 ms']);
  });

  it('mentions retries and omits an unknown TTFT', () => {
    expect(metaParts({ ...report, ttftMs: null, costUsd: null, attempts: 3 })).toEqual([
      'acme/m1',
      '1,200 in / 34 out tokens',
      'cost unknown',
      'after 3 attempts',
    ]);
  });

  it('names no model for a reply stopped before any target answered', () => {
    expect(metaParts({ ...report, provider: '', model: '', usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, ttftMs: null })[0]).toBe(
      'stopped before an answer',
    );
  });
});
