// The one rounding rule: money to 6 decimals in machine output (no float noise), shown to people with
// four decimals under a dollar and never as a false $0.0000, unknown said as unknown; whole
// milliseconds; percentages that agree with the state they report.
import { describe, expect, it } from 'vitest';
import { formatMs, formatSpend, formatUsd, percentUsed, roundMs, roundUsd, roundUsdOrNull } from './format';

describe('money', () => {
  it('rounds to 6 decimals without float noise', () => {
    expect(roundUsd(0.00014000000000000001)).toBe(0.00014);
    expect(roundUsd(0.1 + 0.2)).toBe(0.3);
    expect(roundUsd(0.0000145)).toBe(0.000015); // 14.4999… micro-dollars in binary, 14.5 in truth
    expect(roundUsd(0.0000004)).toBe(0);
    expect(Object.is(roundUsd(-0.0000001), 0)).toBe(true); // never -0 in JSON
    expect(roundUsd(1234.5678914)).toBe(1234.567891);
    expect(roundUsdOrNull(null)).toBeNull();
  });

  it('shows costs under a dollar with four decimals, larger ones in cents, and unknown as unknown', () => {
    expect(formatUsd(0.005)).toBe('$0.0050');
    expect(formatUsd(0.005016)).toBe('$0.0050');
    expect(formatUsd(0.000123)).toBe('$0.0001');
    expect(formatUsd(0.00005)).toBe('$0.0001'); // rounds half up to a hundredth of a cent
    expect(formatUsd(0.25)).toBe('$0.2500');
    expect(formatUsd(0.99996)).toBe('$1.00'); // never "$1.0000"
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(-0)).toBe('$0.00');
    expect(formatUsd(3)).toBe('$3.00');
    expect(formatUsd(12345.678)).toBe('$12,345.68');
    expect(formatUsd(-0.0123)).toBe('-$0.0123');
    expect(formatUsd(null)).toBe('unknown');
    expect(formatUsd(undefined)).toBe('unknown');
    expect(formatUsd(Number.NaN)).toBe('unknown');
  });

  it('never shows a positive or negative cost as $0.0000', () => {
    expect(formatUsd(0.000049)).toBe('<$0.0001');
    expect(formatUsd(0.000031)).toBe('<$0.0001');
    expect(formatUsd(0.0000001)).toBe('<$0.0001'); // rounds to $0 even in machine output, still not nothing
    expect(formatUsd(-0.00004)).toBe('-<$0.0001');
  });

  it('shows a total with unknown parts as its known part and "+ ?"', () => {
    expect(formatSpend({ knownCostUsd: 0.25, unknownCostRequests: 0, requests: 3 })).toBe('$0.2500');
    expect(formatSpend({ knownCostUsd: 0.25, unknownCostRequests: 2, requests: 3 })).toBe('$0.2500 + ?');
    expect(formatSpend({ knownCostUsd: 0, unknownCostRequests: 3, requests: 3 })).toBe('unknown');
    expect(formatSpend({ knownCostUsd: 0, unknownCostRequests: 0, requests: 0 })).toBe('$0.00');
  });
});

describe('durations and percentages', () => {
  it('rounds durations to whole milliseconds', () => {
    expect(roundMs(47.40181999)).toBe(47);
    expect(formatMs(47.6)).toBe('48 ms');
    expect(formatMs(1234)).toBe('1.23 s');
  });

  it('floors percentages and does not cap them, so 100% means reached', () => {
    expect(percentUsed(0.005016, 0.004)).toBe(125);
    expect(percentUsed(0.3, 0.3)).toBe(100);
    expect(percentUsed(0.1 + 0.2, 0.3)).toBe(100); // 0.30000000000000004 of 0.3
    expect(percentUsed(0.2999, 0.3)).toBe(99);
    expect(percentUsed(5, 0)).toBe(0);
  });
});
