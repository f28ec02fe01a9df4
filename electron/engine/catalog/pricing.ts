// Cost of a request from its normalised usage and the model's price (USD per million tokens).
// A cost is a number only when every part of it is priced: any token count whose rate is unknown
// makes the whole cost unknown (null), never $0. A cost the upstream reported itself (OpenRouter's
// usage.cost) is what was billed, so it wins over our arithmetic.
import type { Price } from '../../../shared/types';
import type { Usage } from '../canonical/usage';

const isZero = (u: Usage) => u.inputTokens === 0 && u.outputTokens === 0 && u.cacheReadTokens === 0 && u.cacheWriteTokens === 0;

export function costUsd(usage: Usage, price: Price | undefined): number | null {
  if (usage.reportedCostUsd !== undefined) return usage.reportedCostUsd;
  // Nothing used costs nothing, whatever the price: a refused or failed attempt is $0, not unknown.
  if (isZero(usage)) return 0;
  if (!price) return null;
  const part = (tokens: number, perMillion: number | undefined): number | null => {
    if (tokens <= 0) return 0;
    return perMillion === undefined ? null : (tokens * perMillion) / 1e6;
  };
  // Output includes reasoning tokens; a separate reasoning rate applies to that part only.
  const reasoning = price.reasoning === undefined ? 0 : Math.min(usage.reasoningTokens, usage.outputTokens);
  // 1-hour cache writes have their own rate (2x input at Anthropic against 1.25x): without it they are unpriced.
  const writes1h = Math.min(usage.cacheWrite1hTokens ?? 0, usage.cacheWriteTokens);
  const parts = [
    part(usage.inputTokens, price.input),
    part(usage.outputTokens - reasoning, price.output),
    part(reasoning, price.reasoning),
    part(usage.cacheReadTokens, price.cacheRead),
    part(usage.cacheWriteTokens - writes1h, price.cacheWrite),
    part(writes1h, price.cacheWrite1h),
  ];
  let total = 0;
  for (const p of parts) {
    if (p === null) return null;
    total += p;
  }
  return total;
}
