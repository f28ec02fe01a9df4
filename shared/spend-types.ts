// Spend and budgets as they cross the boundary: queries, totals (unknown costs kept unknown), series,
// the request drill-down, and budgets with where they stand. Plain data only; re-exported by types.ts.

export type SpendGroupBy = 'day' | 'model' | 'provider' | 'client' | 'route';

export type SpendSource = 'port' | 'chat' | 'compare';

export interface SpendQuery {
  /** Start (inclusive): a duration back from now (`7d`, `24h`, `30m`) or an ISO date. Absent: everything. */
  since?: string;
  /** End (exclusive), same forms as `since`. Absent: now. */
  until?: string;
  by?: SpendGroupBy;
  /** Only requests from this client (token name) / this source. */
  client?: string;
  source?: SpendSource;
  /** Series only: one point per UTC day (default) or per UTC hour (for short ranges; `day` is then `YYYY-MM-DDTHH`). */
  bucket?: 'day' | 'hour';
}

export interface SpendTotals {
  requests: number;
  /** Every input token, cached or not; cache reads and writes are parts of it. */
  inputTokens: number;
  /** Every output token; reasoning tokens are part of it. */
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** USD, rounded to 6 decimals; null when any request in it has an unknown cost (a sum with an unknown part is unknown). */
  costUsd: number | null;
  /** USD of the requests whose cost is known (equals costUsd when nothing is unknown). */
  knownCostUsd: number;
  /** Requests whose cost is unknown (no price for the model): not in knownCostUsd, never counted as $0. */
  unknownCostRequests: number;
  /** Requests whose token figures (and so cost) are our estimates, the upstream having reported none; absent when none. */
  estimatedRequests?: number;
}

export interface SpendGroup extends SpendTotals {
  key: string;
}

export interface SpendSummary extends SpendTotals {
  groups: SpendGroup[];
}

/** One day of a series (UTC days), optionally split by `key` (the query's `by`). */
export interface SpendPoint extends SpendTotals {
  /** `YYYY-MM-DD`, or `YYYY-MM-DDTHH` in an hourly series. */
  day: string;
  key: string;
}

export interface SpendSeries {
  by: SpendGroupBy | null;
  points: SpendPoint[];
}

export type BudgetPeriod = 'daily' | 'monthly';

/** A budget and where it stands now (UTC days and months). */
export interface BudgetStatus {
  name: string;
  /** Client token name, or null for the global budget. */
  client: string | null;
  period: BudgetPeriod;
  mode: 'soft' | 'hard';
  limitUsd?: number;
  limitTokens?: number;
  /** USD spent in the period; null when some of it has an unknown cost (see knownSpentUsd). */
  spentUsd: number | null;
  /** The known part of spentUsd: what a USD limit is measured against. */
  knownSpentUsd: number;
  /** Requests in the period whose cost is unknown (let through by allowUnpriced). */
  unknownCostRequests: number;
  /** USD and tokens held for requests in flight (their worst case, until each ends). */
  reservedUsd: number;
  reservedTokens: number;
  spentTokens: number;
  /** Whole percent of the limit used (the larger of USD and tokens), not capped at 100. */
  percent: number;
  allowUnpriced: boolean;
  /** ok: under 80%; near: 80% or more; over: reached (soft budgets warn, hard budgets refuse). */
  state: 'ok' | 'near' | 'over';
  message?: string;
}

/** A warning raised by a soft budget, most recent first. */
export interface BudgetWarning {
  at: number;
  budget: string;
  client: string | null;
  message: string;
}

/** A budget as configured (see BudgetStatus for where it stands). */
export interface BudgetSpec {
  name: string;
  /** Client token name; absent = global. */
  client?: string;
  period: BudgetPeriod;
  mode: 'soft' | 'hard';
  usd?: number;
  tokens?: number;
  /**
   * A hard USD budget refuses a request to a model without a known price (its cost could not be
   * counted against the limit) unless this is true.
   */
  allowUnpriced?: boolean;
}

/** A spend drill-down: the query's range and filters, down to single requests (newest first). */
export interface SpendRequestsQuery extends SpendQuery {
  provider?: string;
  /** The model id as the provider names it (without `provider/`). */
  model?: string;
  route?: string;
  /** At most this many (default 100, at most 500). */
  limit?: number;
  /** Only requests that started before this epoch-ms time (the next page). */
  before?: number;
}

export interface SpendAttempt {
  provider: string;
  model: string;
  keyLabel?: string;
  /** Upstream HTTP status, or null when no response arrived. */
  status: number | null;
  errorClass?: string;
  durationMs: number;
}

/** One client request as the ledger recorded it, with every attempt it took. */
export interface SpendRequest {
  id: string;
  startedAt: number;
  source: SpendSource;
  client: string | null;
  route: string | null;
  /** The target that served the request, else the last one tried. */
  provider: string | null;
  model: string | null;
  /** The model the client asked for (a route name, a `provider/model` id), when recorded. */
  requestedModel?: string | null;
  /** interrupted: Switchboard stopped (a crash) while the request was in flight. */
  status: 'ok' | 'error' | 'cancelled' | 'interrupted';
  httpStatus: number;
  errorMessage?: string;
  attempts: SpendAttempt[];
  inputTokens: number;
  outputTokens: number;
  /** The token figures (and so the cost) are estimates: the upstream reported none. */
  usageEstimated?: boolean;
  costUsd: number | null;
  ttftMs: number | null;
  durationMs: number;
}
