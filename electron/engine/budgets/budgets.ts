// Budgets: global and per client, daily and monthly (UTC), soft (warn) and hard (refuse before any
// upstream call). Running totals live in memory, seeded from the ledger at each settings change and fed
// by every row; requests in flight hold their worst case until they end, so a burst cannot overrun a
// hard budget.
import type { BudgetStatus, BudgetWarning } from '../../../shared/types';
import { formatUsd, percentUsed, roundUsd } from '../../../shared/format';
import type { Ledger, RequestRecord, SettledView } from '../ledger/types';
import { describeBudget, overMessage, unpricedMessage } from './messages';
import { bucketIn, PeriodKeys, type Bucket } from './buckets';
import type { BudgetCheck, BudgetCheckInput, BudgetConfig, Reservation } from './types';

/** A live reservation and the buckets it is counted in (re-found when settings rebuild the buckets). */
type Hold = { client: string | null; usd: number; tokens: number; expiresAt: number; buckets: Bucket[]; live: boolean };

const MAX_WARNINGS = 100;
/** Longest a reservation may live when its request never says it ended (a leak guard, not a timeout). */
export const DEFAULT_HOLD_MS = 16 * 60_000;

export class Budgets {
  #budgets: BudgetConfig[] = [];
  #periods = new PeriodKeys();
  #buckets = new Map<string, Bucket>();
  #holds = new Set<Hold>();
  #warnings: BudgetWarning[] = [];
  #lastWarned = new Map<string, string>();
  #unsubscribe: () => void;
  /** Counts seeds, so a seed that lands after a later settings change is dropped. */
  #seeds = 0;

  constructor(
    private readonly ledger: Ledger,
    budgets: BudgetConfig[] = [],
    private readonly now: () => number = Date.now,
  ) {
    this.#unsubscribe = ledger.onRecord((row) => this.#add(row));
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
    this.ledger.whenSettled((view) => {
      if (seed === this.#seeds) this.#rebuild(this.#seeded(view));
    });
  }

  /** Swaps in new buckets; requests admitted before still hold their worst case in them. */
  #rebuild(buckets: Map<string, Bucket>): void {
    this.#buckets = buckets;
    for (const h of this.#holds) this.#apply(h);
  }

  /**
   * Today's and this month's totals per client: the ledger's (one query each, at settings changes only)
   * plus its rows not yet written. Later rows arrive through onRecord, so each row counts once.
   */
  #seeded(view: SettledView): Map<string, Bucket> {
    const buckets = new Map<string, Bucket>();
    const t = this.now();
    for (const [period, since] of [
      [this.#periods.day(t), `${this.#periods.day(t)}T00:00:00Z`],
      [this.#periods.month(t), `${this.#periods.month(t)}-01T00:00:00Z`],
    ] as const) {
      const summary = view.spend({ since, by: 'client' });
      const all = bucketIn(buckets, `*|${period}`, period);
      Object.assign(all, {
        usd: summary.knownCostUsd,
        unknown: summary.unknownCostRequests,
        tokens: summary.inputTokens + summary.outputTokens,
      });
      for (const g of summary.groups) {
        if (g.key === '(none)') continue;
        Object.assign(bucketIn(buckets, `${g.key}|${period}`, period), {
          usd: g.knownCostUsd,
          unknown: g.unknownCostRequests,
          tokens: g.inputTokens + g.outputTokens,
        });
      }
    }
    for (const row of view.unwritten) this.#count(row, buckets);
    return buckets;
  }

  #bucket(key: string, period: string): Bucket {
    return bucketIn(this.#buckets, key, period);
  }

  /** The buckets a request of `client` at time `t` counts in: its day and month, for everyone and for the client. */
  #bucketsFor(client: string | null, t: number, buckets = this.#buckets): Bucket[] {
    const out: Bucket[] = [];
    for (const period of [this.#periods.day(t), this.#periods.month(t)]) {
      for (const who of client ? ['*', client] : ['*']) out.push(bucketIn(buckets, `${who}|${period}`, period));
    }
    return out;
  }

  #add(row: RequestRecord): void {
    if (this.#budgets.length === 0) return;
    this.#count(row, this.#buckets);
  }

  #count(row: RequestRecord, buckets: Map<string, Bucket>): void {
    const tokens = row.inputTokens + row.outputTokens;
    for (const b of this.#bucketsFor(row.client, row.startedAt, buckets)) {
      if (row.costUsd === null) b.unknown++;
      else b.usd += row.costUsd;
      b.tokens += tokens;
    }
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
    for (const h of [...this.#holds]) {
      if (h.expiresAt > t) continue;
      this.#release(h);
      console.error(
        `switchboard budgets: a request held ${formatUsd(h.usd)} past its deadline without ending; its reservation was released`,
      );
    }
  }

  #spent(budget: BudgetConfig): Bucket {
    const t = this.now();
    const period = budget.period === 'daily' ? this.#periods.day(t) : this.#periods.month(t);
    return this.#bucket(`${budget.client ?? '*'}|${period}`, period);
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
    for (const b of this.#budgets) {
      if (b.client !== undefined && b.client !== input.client) continue;
      const s = this.#spent(b);
      const usedUsd = s.usd + s.reservedUsd;
      if (b.mode === 'hard' && b.usd !== undefined && input.estimateUsd === null && !b.allowUnpriced) {
        result.hard ??= unpricedMessage(b, input.unpriced ?? []);
        result.unpriced ??= true;
        continue;
      }
      // A request that cannot cost anything ($0 worst case) never adds to a USD limit.
      const overUsd =
        b.usd !== undefined &&
        input.estimateUsd !== 0 &&
        (input.estimateUsd === null ? usedUsd >= b.usd : usedUsd + input.estimateUsd > b.usd);
      const overTokens = b.tokens !== undefined && s.tokens + s.reservedTokens + input.estimateTokens > b.tokens;
      if (!overUsd && !overTokens) continue;
      const message = overMessage(b, s, input, overUsd);
      if (b.mode === 'hard') {
        result.hard ??= message;
      } else {
        result.soft.push(message);
        if (remember) this.#warn(b, input.client, message, s.period);
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
    };
    this.#apply(h);
    this.#holds.add(h);
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
    return this.#budgets.map((b) => {
      const s = this.#spent(b);
      // A USD limit is measured against what is known; the unknown part is said, never counted as $0.
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
    });
  }

  warnings(): BudgetWarning[] {
    return [...this.#warnings];
  }

  close(): void {
    this.#unsubscribe();
    for (const h of [...this.#holds]) this.#release(h);
  }
}
