// Budgets: global and per client, daily and monthly (UTC), soft (warn) and hard (refuse before any
// upstream call). Running totals live in memory, seeded from the ledger once and fed by every row.
import type { BudgetStatus, BudgetWarning } from '../../../shared/types';
import type { Ledger, RequestRecord } from '../ledger/types';
import type { BudgetCheck, BudgetCheckInput, BudgetConfig } from './types';

type Bucket = { period: string; usd: number; tokens: number };
const MAX_WARNINGS = 100;

const dayKey = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const monthKey = (ms: number) => new Date(ms).toISOString().slice(0, 7);
const usd = (v: number) => `$${v.toFixed(v < 1 ? 4 : 2)}`;

export class Budgets {
  #budgets: BudgetConfig[] = [];
  #buckets = new Map<string, Bucket>();
  #warnings: BudgetWarning[] = [];
  #lastWarned = new Map<string, string>();
  #unsubscribe: () => void;

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

  update(budgets: BudgetConfig[]): void {
    this.#budgets = budgets;
    this.#buckets.clear();
    if (budgets.length === 0) return;
    // Seed today's and this month's totals per client from the ledger (one query each, at settings changes only).
    const t = this.now();
    for (const [period, since] of [[dayKey(t), `${dayKey(t)}T00:00:00Z`], [monthKey(t), `${monthKey(t)}-01T00:00:00Z`]] as const) {
      const summary = this.ledger.spend({ since, by: 'client' });
      this.#bucket(`*|${period}`, period).usd = summary.costUsd;
      this.#bucket(`*|${period}`, period).tokens = summary.inputTokens + summary.outputTokens;
      for (const g of summary.groups) {
        if (g.key === '(none)') continue;
        const b = this.#bucket(`${g.key}|${period}`, period);
        b.usd = g.costUsd;
        b.tokens = g.inputTokens + g.outputTokens;
      }
    }
  }

  #bucket(key: string, period: string): Bucket {
    let b = this.#buckets.get(key);
    if (!b || b.period !== period) {
      b = { period, usd: 0, tokens: 0 };
      this.#buckets.set(key, b);
    }
    return b;
  }

  #add(row: RequestRecord): void {
    if (this.#budgets.length === 0) return;
    const t = row.startedAt;
    const tokens = row.inputTokens + row.outputTokens;
    const cost = row.costUsd ?? 0;
    for (const period of [dayKey(t), monthKey(t)]) {
      for (const who of row.client ? ['*', row.client] : ['*']) {
        const b = this.#bucket(`${who}|${period}`, period);
        b.usd += cost;
        b.tokens += tokens;
      }
    }
  }

  #spent(budget: BudgetConfig): Bucket {
    const t = this.now();
    const period = budget.period === 'daily' ? dayKey(t) : monthKey(t);
    return this.#bucket(`${budget.client ?? '*'}|${period}`, period);
  }

  #describe(b: BudgetConfig): string {
    const limits = [b.usd !== undefined ? usd(b.usd) : '', b.tokens !== undefined ? `${b.tokens.toLocaleString('en-US')} tokens` : ''].filter(Boolean).join(' / ');
    return `${b.mode} budget "${b.name}" (${b.client ? `client ${b.client}` : 'global'}, ${b.period}, ${limits})`;
  }

  /** Would this request go over a budget? Hard budgets refuse; soft ones warn (and are remembered for the UI). */
  check(input: BudgetCheckInput): BudgetCheck {
    const result: BudgetCheck = { soft: [] };
    for (const b of this.#budgets) {
      if (b.client !== undefined && b.client !== input.client) continue;
      const spent = this.#spent(b);
      const overUsd = b.usd !== undefined && (spent.usd >= b.usd || (input.estimateUsd !== null && spent.usd + input.estimateUsd > b.usd));
      const overTokens = b.tokens !== undefined && spent.tokens + input.estimateTokens > b.tokens;
      if (!overUsd && !overTokens) continue;
      const what = overUsd
        ? `${usd(spent.usd)} spent${input.estimateUsd !== null ? ` + about ${usd(input.estimateUsd)} for this request` : ''}`
        : `${spent.tokens.toLocaleString('en-US')} tokens used + up to ${input.estimateTokens.toLocaleString('en-US')} for this request`;
      if (b.mode === 'hard') {
        result.hard ??= `${this.#describe(b)} would be exceeded: ${what}. The request was not sent.`;
      } else {
        const message = `${this.#describe(b)} reached: ${what}`;
        result.soft.push(message);
        this.#warn(b, input.client, message, spent.period);
      }
    }
    return result;
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
      const spent = this.#spent(b);
      const ratio = Math.max(b.usd !== undefined ? spent.usd / b.usd : 0, b.tokens !== undefined ? spent.tokens / b.tokens : 0);
      const state = ratio >= 1 ? 'over' : ratio >= 0.8 ? 'near' : 'ok';
      const status: BudgetStatus = { name: b.name, client: b.client ?? null, period: b.period, mode: b.mode, spentUsd: spent.usd, spentTokens: spent.tokens, state };
      if (b.usd !== undefined) status.limitUsd = b.usd;
      if (b.tokens !== undefined) status.limitTokens = b.tokens;
      if (state !== 'ok') status.message = `${this.#describe(b)}: ${Math.round(ratio * 100)}% used`;
      return status;
    });
  }

  warnings(): BudgetWarning[] {
    return [...this.#warnings];
  }

  close(): void {
    this.#unsubscribe();
  }
}
