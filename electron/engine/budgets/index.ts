// Budgets' public face: the tracker, and the one preflight hook each entry point passes to the
// failover loop, so a hard budget refuses before the first upstream byte and every admitted request
// holds its worst case until its meter records it (in team mode, in the team database too).
import { priceOf } from '../accounting';
import type { Catalog } from '../catalog/catalog';
import { RoutingError } from '../router/failures';
import type { Target } from '../router/resolve';
import { withFields } from '../with-fields';
import { DEFAULT_HOLD_MS, type Budgets } from './budgets';
import { worstCase, type InputMeasure, type TargetLimits } from './estimate';
import { describeBudget } from './messages';
import type { BudgetCheck, BudgetCheckInput, BudgetConfig, Reservation, SharedAdmitResult, SharedBudgetHolds } from './types';

export { Budgets } from './budgets';
export {
  budgetSchema,
  type BudgetCheck,
  type BudgetCheckInput,
  type BudgetConfig,
  type Reservation,
  type SharedBudgetHolds,
  type TotalsSource,
} from './types';

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
  /**
   * Holds the reservation and releases it exactly once, when the request's row is recorded. Its `id`
   * (the row's) names the request's hold in the team database, whose row removes it; team mode needs it.
   */
  meter: { readonly id?: string; hold(release: () => void): void };
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

/** The code of a refusal because the team database could not check a hard budget (503: try again). */
export const BUDGET_UNAVAILABLE_CODE = 'budget_unavailable';

const refusal = (message: string, unpriced: boolean | undefined) =>
  new RoutingError(402, 'invalid_request_error', message, unpriced ? PRICE_UNKNOWN_CODE : 'budget_exceeded');

/** Fail closed: a hard budget nobody could check refuses the request (clients retry a 503). */
function unavailable(hard: BudgetConfig[]): RoutingError {
  const more = hard.length > 1 ? ` and ${hard.length - 1} more` : '';
  return new RoutingError(
    503,
    'api_error',
    `the team database cannot be reached to check ${describeBudget(hard[0]!)}${more}; the request was not sent. Try again shortly.`,
    BUDGET_UNAVAILABLE_CODE,
    2,
  );
}

/**
 * A FailoverInput `preflight`: prices the request's worst case over its candidate targets and either
 * throws a 402 RoutingError naming the budget (or the model without a price), or reserves that worst
 * case on the meter. Returns undefined when no budget is set, so requests without budgets pay nothing.
 * In team mode, when a hard budget applies to the client, the local check (soft warnings, a fast
 * refusal) is followed by the team database's, and the preflight returns that promise; otherwise it
 * stays synchronous.
 */
export function budgetPreflight(o: PreflightOptions): (() => void | Promise<void>) | undefined {
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
    const holdMs = o.deadlineMs === undefined ? DEFAULT_HOLD_MS : o.deadlineMs + 60_000;
    const { check, reservation } = budgets.admit(input, holdMs);
    if (check.hard) throw refusal(check.hard, check.unpriced);
    if (reservation) o.meter.hold(reservation.release);
    const shared = budgets.sharedHolds;
    const hard = shared ? budgets.hardFor(o.client) : undefined;
    if (shared && hard?.length) {
      const recount = input === loose ? () => estimate('count') : undefined;
      return admitShared(o, budgets, shared, hard, { input, recount, holdMs, check, reservation });
    }
    if (check.soft.length > 0) o.onSoft?.(check.soft);
  };
}

/** What the local check left for the shared one. */
interface Admitted {
  input: BudgetCheckInput;
  /** Set when `input` holds the loose bound: the counted prompt, asked for only near a limit. */
  recount: (() => BudgetCheckInput) | undefined;
  holdMs: number;
  check: BudgetCheck;
  reservation: Reservation | undefined;
}

/** The hard budgets checked (and the worst case held) across instances; a refusal gives the local hold back. */
async function admitShared(
  o: PreflightOptions,
  budgets: Budgets,
  shared: SharedBudgetHolds,
  hard: BudgetConfig[],
  a: Admitted,
): Promise<void> {
  const requestId = o.meter.id;
  if (requestId === undefined) throw new Error('a team budget check needs the request id (its meter has none)');
  const member = budgets.memberOf(o.client);
  const ask = (i: BudgetCheckInput) =>
    shared.admit(withFields(i, { requestId, client: o.client, member, budgets: hard, now: Date.now(), holdMs: a.holdMs }));
  let { reservation } = a;
  let result: SharedAdmitResult;
  try {
    result = await ask(a.input);
    if (result.refused && !result.refused.unpriced && a.recount) {
      // As locally, the loose bound's slack never refuses a request whose counted prompt fits: the local
      // hold follows (the loose one given back first, so it is not counted against its own replacement).
      const counted = a.recount();
      reservation?.release();
      const again = budgets.admit(counted, a.holdMs);
      if (again.check.hard) throw refusal(again.check.hard, again.check.unpriced);
      reservation = again.reservation;
      if (reservation) o.meter.hold(reservation.release);
      result = await ask(counted);
    }
  } catch (error) {
    reservation?.release();
    if (error instanceof RoutingError) throw error;
    throw unavailable(hard);
  }
  if (result.refused) {
    reservation?.release();
    throw refusal(result.refused.message, result.refused.unpriced);
  }
  if (a.check.soft.length > 0) o.onSoft?.(a.check.soft);
}
