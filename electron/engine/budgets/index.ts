// Budgets' public face: the tracker, and the one preflight hook each entry point passes to the
// failover loop, so a hard budget refuses before the first upstream byte and every admitted request
// holds its worst case until its meter records it.
import { priceOf } from '../accounting';
import type { Catalog } from '../catalog/catalog';
import { RoutingError } from '../router/failures';
import type { Target } from '../router/resolve';
import type { Budgets } from './budgets';
import { worstCase, type InputMeasure, type TargetLimits } from './estimate';
import type { BudgetCheckInput } from './types';

export { Budgets } from './budgets';
export { budgetSchema, type BudgetCheck, type BudgetCheckInput, type BudgetConfig, type Reservation } from './types';

/** The error code of a refusal for an unknown price (a spent limit is `budget_exceeded`). */
export const PRICE_UNKNOWN_CODE = 'budget_price_unknown';

/** What a candidate target's worst case needs: its price, output limit and window, from the catalog. */
export function limitsOf(catalog: Catalog, target: Target): TargetLimits {
  const entry = catalog.lookup(target.provider, target.model);
  const limits: TargetLimits = {
    name: `${target.provider.id}/${target.model}`,
    kind: target.provider.kind,
    price: priceOf(catalog, target),
  };
  if (entry.maxOutput !== undefined) limits.maxOutput = entry.maxOutput;
  const window = target.contextWindow ?? entry.contextWindow;
  if (window !== undefined) limits.contextWindow = window;
  return limits;
}

export interface PreflightOptions {
  budgets: Budgets | undefined;
  /** Prices, output limits and windows of the candidate targets. */
  catalog: Catalog;
  /** Holds the reservation and releases it exactly once, when the request's row is recorded. */
  meter: { hold(release: () => void): void };
  client: string | null;
  body: Record<string, unknown>;
  /** Every target the request may be sent to: the reservation covers the dearest (failover included). */
  targets: Target[];
  /** The route's total deadline (ms); a reservation whose request never ends is dropped a minute after it. */
  deadlineMs?: number;
  /** Embeddings: input only. */
  outputless?: boolean;
  onSoft?: (warnings: string[]) => void;
}

/**
 * A FailoverInput `preflight`: prices the request's worst case over its candidate targets and either
 * throws a 402 RoutingError naming the budget (or the model without a price), or reserves that worst
 * case on the meter. Returns undefined when no budget is set, so requests without budgets pay nothing.
 */
export function budgetPreflight(o: PreflightOptions): (() => void) | undefined {
  const { budgets } = o;
  if (!budgets?.active) return undefined;
  return () => {
    const limits = o.targets.map((t) => limitsOf(o.catalog, t));
    const estimate = (measure: InputMeasure): BudgetCheckInput => {
      const worst = worstCase(o.body, limits, { outputless: o.outputless, measure });
      return { client: o.client, estimateUsd: worst.usd, estimateTokens: worst.tokens, unpriced: worst.unpriced };
    };
    // The prompt's byte length bounds its tokens for free; while that loose bound fits every budget it
    // is what the request holds, so the tokenizer stays off the port's thread. Near a limit (or a soft
    // budget's line) the prompt is counted, so the slack never refuses or warns about a request that fits.
    const loose = estimate('bytes');
    const input = budgets.fits(loose) ? loose : estimate('count');
    const { check, reservation } = budgets.admit(input, o.deadlineMs === undefined ? undefined : o.deadlineMs + 60_000);
    if (check.hard)
      throw new RoutingError(402, 'invalid_request_error', check.hard, check.unpriced ? PRICE_UNKNOWN_CODE : 'budget_exceeded');
    if (reservation) o.meter.hold(reservation.release);
    if (check.soft.length > 0) o.onSoft?.(check.soft);
  };
}
