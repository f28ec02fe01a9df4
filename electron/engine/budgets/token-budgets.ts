// A client token's own `budgetUsd` is a hard monthly budget for that client, checked by the same
// budget engine as the ones in settings (and listed in its status), so there is one way to refuse.
import type { ClientTokenRecord } from '../settings/types';
import type { BudgetConfig } from './types';

export function tokenBudgets(tokens: ClientTokenRecord[]): BudgetConfig[] {
  return tokens
    .filter((t) => t.budgetUsd !== undefined && t.budgetUsd > 0)
    .map((t) => ({
      name: `token-${t.name}`,
      client: t.name,
      period: 'monthly' as const,
      mode: 'hard' as const,
      usd: t.budgetUsd,
      ...(t.budgetAllowUnpriced ? { allowUnpriced: true } : {}),
    }));
}
