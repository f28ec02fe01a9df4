// The one rule every budget check applies, in memory (budgets.ts) and in the team database
// (team/budget-holds.ts): an unknown price under a hard USD budget, a USD limit, a token limit.
import { overMessage, unpricedMessage, type Used } from './messages';
import type { BudgetCheckInput, BudgetConfig } from './types';

/** What one budget says of a request: nothing (it fits), or its message and whether an unknown price is why. */
export type Verdict = { message: string; unpriced: boolean } | undefined;

/**
 * Slack on a USD limit: a billionth of a dollar, so the float residue of summing many small costs
 * (ten $0.01 holds read back as $0.09999999999999999 or $0.10000000000000002) never decides a refusal.
 */
const USD_SLACK = 1e-9;

export function decide(b: BudgetConfig, used: Used, input: BudgetCheckInput): Verdict {
  if (b.mode === 'hard' && b.usd !== undefined && input.estimateUsd === null && !b.allowUnpriced)
    return { message: unpricedMessage(b, input.unpriced ?? []), unpriced: true };
  const usedUsd = used.usd + used.reservedUsd;
  // A request that cannot cost anything ($0 worst case) never adds to a USD limit.
  const overUsd =
    b.usd !== undefined &&
    input.estimateUsd !== 0 &&
    (input.estimateUsd === null ? usedUsd >= b.usd - USD_SLACK : usedUsd + input.estimateUsd > b.usd + USD_SLACK);
  const overTokens = b.tokens !== undefined && used.tokens + used.reservedTokens + input.estimateTokens > b.tokens;
  if (!overUsd && !overTokens) return undefined;
  return { message: overMessage(b, used, input, overUsd), unpriced: false };
}

/** The scope a budget counts in: '*' (global), 'client:NAME' or 'member:NAME' (team mode's spend_totals use the same). */
export function scopeOf(b: BudgetConfig): string {
  return b.client !== undefined ? `client:${b.client}` : b.member !== undefined ? `member:${b.member}` : '*';
}

/** Whether a budget applies to a request of `client`, whose token belongs to `member`. */
export function appliesTo(b: BudgetConfig, client: string | null, member: string | null | undefined): boolean {
  if (b.client !== undefined) return b.client === client;
  if (b.member !== undefined) return member !== null && member !== undefined && b.member === member;
  return true;
}
