// Cost of a request from its normalised usage and the model's price (USD per million tokens).
// An unknown price gives an unknown cost (null), never $0.
import type { Price } from '../../../shared/types';
import type { Usage } from '../canonical/usage';

export function costUsd(usage: Usage, price: Price | undefined): number | null {
  // What the provider says it billed (OpenRouter's usage.cost) beats our own arithmetic.
  if (usage.reportedCostUsd !== undefined) return usage.reportedCostUsd;
  if (!price || price.input === undefined || price.output === undefined) return null;
  const part = (tokens: number, perMillion: number | undefined): number | null => {
    if (tokens === 0) return 0;
    return perMillion === undefined ? null : (tokens * perMillion) / 1e6;
  };
  const parts = [
    part(usage.inputTokens, price.input),
    part(usage.outputTokens, price.output),
    part(usage.cacheReadTokens, price.cacheRead),
    part(usage.cacheWriteTokens, price.cacheWrite),
  ];
  let total = 0;
  for (const p of parts) {
    if (p === null) return null;
    total += p;
  }
  return total;
}
