// Budgets: global, per client and (team mode) per member, daily and monthly (UTC), soft (warn) and hard
// (refuse before any upstream call). Running totals live in memory, seeded from the ledger at each
// settings change and fed by every row; requests in flight hold their worst case until they end, so a
// burst cannot overrun a hard budget. In team mode the totals are every instance's, read from the team
// database (shared-totals.ts), and hard budgets are checked there too (budgets/index.ts, team/budget-holds.ts).
import type { BudgetStatus, BudgetWarning } from '../../../shared/types';
import { formatUsd } from '../../../shared/format';
import { ChurnSet } from '../churn-set';
import type { Ledger, RequestRecord } from '../ledger/types';
import { bucketIn, bucketsFor, countRow, PeriodKeys, type Bucket } from './buckets';
import { appliesTo, decide, scopeOf } from './decide';
import { seededFromLedger } from './ledger-seed';
import { SharedTotals } from './shared-totals';
import { budgetStatus } from './status';
import type { BudgetCheck, BudgetCheckInput, BudgetConfig, Reservation, SharedBudgetHolds, TotalsSource } from './types';

/** A live reservation and the buckets it is counted in (re-found when settings rebuild the buckets). */
type Hold = {
  client: string | null;
  usd: number;
  tokens: number;
  expiresAt: number;
  buckets: Bucket[];
  live: boolean;
  churnSlot: number;
};

const MAX_WARNINGS = 100;
/** Clients whose bucket lists are kept (per day); more than that are built on every request. */
const MAX_CACHED_LISTS = 10_000;
/** Longest a reservation may live when its request never says it ended (a leak guard, not a timeout). */
export const DEFAULT_HOLD_MS = 16 * 60_000;

export interface BudgetsOptions {
  /** The member a client's token belongs to (member budgets apply to it); team mode. */
  memberOf?: (client: string) => string | null | undefined;
  /**
   * Team mode: the totals are every instance's, read from here at each settings change and every
   * `refreshMs` (default 3 s), instead of counted from this instance's ledger rows. What they show is
   * that stale: a row counts once another instance has written it and the next read has run (this
   * instance's own rows too). Requests in flight here hold their worst case at once, as in single mode.
   */
  totals?: TotalsSource;
  refreshMs?: number;
  /** Team mode: hard budgets are checked (and held) across instances here, after the local check. */
  shared?: SharedBudgetHolds;
}

export class Budgets {
  #budgets: BudgetConfig[] = [];
  #periods = new PeriodKeys();
  #buckets = new Map<string, Bucket>();
  /** A hold per request in flight: a ChurnSet, whose comings and goings allocate nothing. */
  #holds = new ChurnSet<Hold>();
  /** No hold expires before this: the sweep for leaked holds runs only then, not over every hold on every admit. */
  #nextExpiry = Infinity;
  #warnings: BudgetWarning[] = [];
  #lastWarned = new Map<string, string>();
  #unsubscribe: () => void;
  #shared: SharedTotals | undefined;
  #memberOf: ((client: string) => string | null | undefined) | undefined;
  /** Counts seeds, so a seed that lands after a later settings change is dropped. */
  #seeds = 0;
  /** Team mode: where hard budgets are checked across instances (undefined: this instance decides alone). */
  readonly sharedHolds: SharedBudgetHolds | undefined;

  constructor(
    private readonly ledger: Ledger,
    budgets: BudgetConfig[] = [],
    private readonly now: () => number = Date.now,
    options: BudgetsOptions = {},
  ) {
    this.#memberOf = options.memberOf;
    this.sharedHolds = options.shared;
    if (options.totals) {
      // Every instance's rows arrive through the shared totals, this one's own included: none is counted here.
      this.#unsubscribe = () => {};
      this.#shared = new SharedTotals(
        options.totals,
        (b) => this.#rebuild(b),
        now,
        options.refreshMs,
        () => this.active,
      );
    } else {
      this.#unsubscribe = ledger.onRecord((row) => this.#add(row));
    }
    this.update(budgets);
  }

  /** True when any budget is configured (entry points skip the estimate otherwise). */
  get active(): boolean {
    return this.#budgets.length > 0;
  }

  /** Requests holding a reservation now. */
  get inFlight(): number {
    return this.#holds.size;
  }

  update(budgets: BudgetConfig[]): void {
    const starting = this.#budgets.length === 0;
    this.#budgets = budgets;
    const seed = ++this.#seeds;
    // Totals stop while no budget is set: starting again, they begin from the requests in flight only
    // until the seed lands (at once, unless the ledger is writing a batch at this moment).
    if (starting || budgets.length === 0) this.#rebuild(new Map());
    if (budgets.length === 0) return;
    if (this.#shared) {
      void this.#shared.refresh();
      return;
    }
    this.ledger.whenSettled((view) => {
      if (seed === this.#seeds) this.#rebuild(seededFromLedger(view, this.now(), this.#periods, (c) => this.memberOf(c)));
    });
  }

  /** Team mode: reads every instance's totals now; resolves once they are in (never rejects). */
  refresh(): Promise<void> {
    return this.#shared?.refresh() ?? Promise.resolve();
  }

  /** The member `client`'s token belongs to, or null (always null outside team mode). */
  memberOf(client: string | null): string | null {
    return client === null ? null : (this.#memberOf?.(client) ?? null);
  }

  /** The hard budgets a request of `client` must fit (what the team database checks). */
  hardFor(client: string | null): BudgetConfig[] {
    const member = this.memberOf(client);
    return this.#budgets.filter((b) => b.mode === 'hard' && appliesTo(b, client, member));
  }

  /** Swaps in new buckets; requests admitted before still hold their worst case in them. */
  #rebuild(buckets: Map<string, Bucket>): void {
    this.#buckets = buckets;
    this.#holds.forEach((h) => this.#apply(h));
  }

  /**
   * Each client's bucket list for the current buckets and UTC day, made once: every request asks twice
   * (its hold, its row), and building the list's keys cost more than the rest of a budget check.
   */
  #lists = new Map<string | null, { member: string | null; list: Bucket[] }>();
  #listsOf: { buckets: Map<string, Bucket>; day: string } | undefined;

  #bucketsFor(client: string | null, t: number, buckets = this.#buckets): Bucket[] {
    const member = this.memberOf(client);
    const day = this.#periods.day(t);
    if (this.#listsOf?.buckets !== buckets || this.#listsOf.day !== day) {
      this.#lists.clear();
      this.#listsOf = { buckets, day };
    }
    const cached = this.#lists.get(client);
    if (cached && cached.member === member) return cached.list;
    const list = bucketsFor(buckets, this.#periods, client, member, t);
    if (this.#lists.size < MAX_CACHED_LISTS) this.#lists.set(client, { member, list });
    return list;
  }

  #add(row: RequestRecord): void {
    if (this.#budgets.length === 0) return;
    countRow(this.#bucketsFor(row.client, row.startedAt), row);
  }

  #apply(h: Hold): void {
    h.buckets = this.#bucketsFor(h.client, this.now());
    for (const b of h.buckets) {
      b.reservedUsd += h.usd;
      b.reservedTokens += h.tokens;
      b.holds++;
    }
  }

  #release(h: Hold): void {
    if (!h.live) return;
    h.live = false;
    this.#holds.delete(h);
    for (const b of h.buckets) {
      b.holds--;
      // The last hold out leaves exact zeros, not the float residue of many additions and subtractions.
      b.reservedUsd = b.holds > 0 ? Math.max(0, b.reservedUsd - h.usd) : 0;
      b.reservedTokens = b.holds > 0 ? Math.max(0, b.reservedTokens - h.tokens) : 0;
    }
  }

  /** Drops reservations whose request outlived any route's deadline without ending: a bug elsewhere, said so. */
  #expire(): void {
    const t = this.now();
    if (t < this.#nextExpiry) return;
    let next = Infinity;
    // Releasing deletes the hold being visited, which ChurnSet.forEach allows.
    this.#holds.forEach((h) => {
      if (h.expiresAt > t) {
        next = Math.min(next, h.expiresAt);
        return;
      }
      this.#release(h);
      console.error(
        `switchboard budgets: a request held ${formatUsd(h.usd)} past its deadline without ending; its reservation was released`,
      );
    });
    this.#nextExpiry = next;
  }

  #spent(budget: BudgetConfig): Bucket {
    const t = this.now();
    const period = budget.period === 'daily' ? this.#periods.day(t) : this.#periods.month(t);
    return bucketIn(this.#buckets, `${scopeOf(budget)}|${period}`, period);
  }

  /** Whether the request stays inside every budget, hard and soft (nothing refused, nothing warned, nothing remembered). */
  fits(input: BudgetCheckInput): boolean {
    const check = this.#evaluate(input, false);
    return check.hard === undefined && check.soft.length === 0;
  }

  /** Would this request go over a budget? Hard budgets refuse; soft ones warn (and are remembered for the UI). */
  check(input: BudgetCheckInput): BudgetCheck {
    return this.#evaluate(input, true);
  }

  #evaluate(input: BudgetCheckInput, remember: boolean): BudgetCheck {
    const result: BudgetCheck = { soft: [] };
    const member = this.memberOf(input.client);
    for (const b of this.#budgets) {
      if (!appliesTo(b, input.client, member)) continue;
      const s = this.#spent(b);
      const verdict = decide(b, s, input);
      if (!verdict) continue;
      if (b.mode === 'hard') {
        // The first hard budget in the list speaks; its code says whether an unknown price is why.
        if (result.hard === undefined) {
          result.hard = verdict.message;
          if (verdict.unpriced) result.unpriced = true;
        }
      } else {
        result.soft.push(verdict.message);
        if (remember) this.#warn(b, input.client, verdict.message, s.period);
      }
    }
    return result;
  }

  /**
   * Checks the request and, when it may go, reserves its worst case against every budget until the
   * returned reservation is released (exactly once, when the request ends; `holdMs` bounds a leak).
   */
  admit(input: BudgetCheckInput, holdMs = DEFAULT_HOLD_MS): { check: BudgetCheck; reservation?: Reservation } {
    this.#expire();
    const check = this.check(input);
    if (check.hard) return { check };
    const h: Hold = {
      client: input.client,
      usd: input.estimateUsd ?? 0,
      tokens: input.estimateTokens,
      expiresAt: this.now() + holdMs,
      buckets: [],
      live: true,
      churnSlot: -1,
    };
    this.#apply(h);
    this.#holds.add(h);
    if (h.expiresAt < this.#nextExpiry) this.#nextExpiry = h.expiresAt;
    return { check, reservation: { usd: h.usd, tokens: h.tokens, release: () => this.#release(h) } };
  }

  #warn(b: BudgetConfig, client: string | null, message: string, period: string): void {
    // One remembered warning per budget and period: a busy client would otherwise flood the list.
    if (this.#lastWarned.get(b.name) === period) return;
    this.#lastWarned.set(b.name, period);
    this.#warnings.unshift({ at: this.now(), budget: b.name, client, message });
    this.#warnings.length = Math.min(this.#warnings.length, MAX_WARNINGS);
  }

  status(): BudgetStatus[] {
    return this.#budgets.map((b) => budgetStatus(b, this.#spent(b)));
  }

  warnings(): BudgetWarning[] {
    return [...this.#warnings];
  }

  close(): void {
    this.#unsubscribe();
    this.#shared?.close();
    for (const h of this.#holds.values()) this.#release(h);
  }
}
