// How one budget reads in the UI: spend against its limit, what requests in flight hold, and the
// percentage its own message says (a USD limit is measured against the known part; unknown is said).
import type { BudgetStatus } from '../../../shared/types';
import { percentUsed, roundUsd } from '../../../shared/format';
import type { Bucket } from './buckets';
import { describeBudget } from './messages';
import type { BudgetConfig } from './types';

export function budgetStatus(b: BudgetConfig, s: Bucket): BudgetStatus {
  const percent = Math.max(
    b.usd !== undefined ? percentUsed(s.usd, b.usd) : 0,
    b.tokens !== undefined ? percentUsed(s.tokens, b.tokens) : 0,
  );
  const state = percent >= 100 ? 'over' : percent >= 80 ? 'near' : 'ok';
  const status: BudgetStatus = {
    name: b.name,
    client: b.client ?? null,
    period: b.period,
    mode: b.mode,
    spentUsd: s.unknown > 0 ? null : roundUsd(s.usd),
    knownSpentUsd: roundUsd(s.usd),
    unknownCostRequests: s.unknown,
    reservedUsd: roundUsd(s.reservedUsd),
    reservedTokens: s.reservedTokens,
    spentTokens: s.tokens,
    percent,
    state,
    allowUnpriced: b.allowUnpriced === true,
  };
  if (b.usd !== undefined) status.limitUsd = b.usd;
  if (b.tokens !== undefined) status.limitTokens = b.tokens;
  const unknown = s.unknown > 0 ? ` (not counting ${s.unknown} request${s.unknown === 1 ? '' : 's'} of unknown cost)` : '';
  if (state !== 'ok' || unknown) status.message = `${describeBudget(b)}: ${percent}% used${unknown}`;
  return status;
}
