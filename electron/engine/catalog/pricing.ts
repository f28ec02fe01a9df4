// Cost of a request from its normalised usage and the model's price (USD per million tokens).
// An unknown price gives an unknown cost (null), never $0; a cost the upstream reported itself
// (OpenRouter's usage.cost) is taken as it is.
import type { Price } from '../../../shared/types';
import type { Usage } from '../canonical/usage';

export function costUsd(usage: Usage, price: Price | undefined): number | null {
  if (usage.reportedCostUsd !== undefined) return usage.reportedCostUsd;
  if (!price || price.input === undefined || price.output === undefined) return null;
  const part = (tokens: number, perMillion: number | undefined): number | null => {
    if (tokens === 0) return 0;
    return perMillion === undefined ? null : (tokens * perMillion) / 1e6;
  };
  // Output includes reasoning tokens; a separate reasoning rate applies to that part only.
  const reasoning = price.reasoning === undefined ? 0 : Math.min(usage.reasoningTokens, usage.outputTokens);
  const parts = [
    part(usage.inputTokens, price.input),
    part(usage.outputTokens - reasoning, price.output),
    part(reasoning, price.reasoning),
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
