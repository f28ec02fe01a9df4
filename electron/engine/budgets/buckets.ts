// The running totals budgets are checked against: one bucket per scope (everyone, a client, a member)
// and UTC period, and the period keys every request asks for.
import type { RequestRecord } from '../ledger/types';

/** Spend of one scope ('*', 'client:NAME', 'member:NAME') in one period, and what requests in flight hold of it. */
export type Bucket = {
  period: string;
  usd: number;
  unknown: number;
  tokens: number;
  reservedUsd: number;
  reservedTokens: number;
  holds: number;
};

/** A UTC day's and month's keys (`2026-11-30`, `2026-11`), remembered until the day ends: every request asks. */
export class PeriodKeys {
  #from = 0;
  #until = 0;
  #day = '';
  #month = '';

  #at(ms: number): void {
    if (ms >= this.#from && ms < this.#until) return;
    this.#from = ms - (ms % 86_400_000);
    this.#until = this.#from + 86_400_000;
    const iso = new Date(this.#from).toISOString();
    this.#day = iso.slice(0, 10);
    this.#month = iso.slice(0, 7);
  }

  day(ms: number): string {
    this.#at(ms);
    return this.#day;
  }

  month(ms: number): string {
    this.#at(ms);
    return this.#month;
  }
}

/** The bucket under `key`, started afresh when its period has passed. */
export function bucketIn(buckets: Map<string, Bucket>, key: string, period: string): Bucket {
  let b = buckets.get(key);
  if (!b || b.period !== period) {
    b = { period, usd: 0, unknown: 0, tokens: 0, reservedUsd: 0, reservedTokens: 0, holds: 0 };
    buckets.set(key, b);
  }
  return b;
}

/** The buckets a request of `client` (its token `member`'s) at time `t` counts in: its day and month, for everyone, the client and the member. */
export function bucketsFor(
  buckets: Map<string, Bucket>,
  periods: PeriodKeys,
  client: string | null,
  member: string | null,
  t: number,
): Bucket[] {
  const out: Bucket[] = [];
  for (const period of [periods.day(t), periods.month(t)]) {
    out.push(bucketIn(buckets, `*|${period}`, period));
    if (client !== null) out.push(bucketIn(buckets, `client:${client}|${period}`, period));
    if (member !== null) out.push(bucketIn(buckets, `member:${member}|${period}`, period));
  }
  return out;
}

/** Adds a recorded row's cost (or one unknown cost) and tokens to the buckets it counts in. */
export function countRow(into: Bucket[], row: RequestRecord): void {
  const tokens = row.inputTokens + row.outputTokens;
  for (const b of into) {
    if (row.costUsd === null) b.unknown++;
    else b.usd += row.costUsd;
    b.tokens += tokens;
  }
}
