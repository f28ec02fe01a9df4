// Budgets' public face: the tracker, and the one-line preflight hook each entry point passes to the
// failover loop so a hard budget refuses before the first upstream byte.
import { priceOf } from '../accounting';
import { RoutingError } from '../router/failures';
import type { Target } from '../router/resolve';
import type { Budgets } from './budgets';
import { estimateRequest } from './estimate';
import type { BudgetCheck, BudgetCheckInput } from './types';

export { Budgets } from './budgets';
export { budgetSchema, type BudgetCheck, type BudgetCheckInput, type BudgetConfig } from './types';

/** The simple API: would this request pass the budgets? */
export function checkBudgets(budgets: Budgets | undefined, input: BudgetCheckInput): BudgetCheck {
  return budgets?.active ? budgets.check(input) : { soft: [] };
}

/**
 * A FailoverInput `preflight`: estimates the request (prompt tokens + requested max output, priced
 * at the first target) and throws a 402 RoutingError naming the budget when a hard one would be exceeded.
 * Returns undefined when no budget is set, so requests without budgets pay nothing.
 */
export function budgetPreflight(
  budgets: Budgets | undefined,
  client: string | null,
  body: Record<string, unknown>,
  targets: Target[],
  onSoft?: (warnings: string[]) => void,
): (() => void) | undefined {
  if (!budgets?.active) return undefined;
  return () => {
    const first = targets[0];
    const estimate = estimateRequest(body, first ? priceOf(first) : undefined);
    const result = budgets.check({ client, estimateUsd: estimate.usd, estimateTokens: estimate.tokens });
    if (result.hard) throw new RoutingError(402, 'invalid_request_error', result.hard, 'budget_exceeded');
    if (result.soft.length > 0) onSoft?.(result.soft);
  };
}
