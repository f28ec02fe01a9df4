// Team mode's running totals: every instance's spend, read from the shared store (spend_totals) at
// each settings change and every few seconds after, instead of being counted from this instance's rows.
import { bucketIn, PeriodKeys, type Bucket } from './buckets';
import type { TotalsSource } from './types';

/** How often the totals are read again by default: other instances' spend shows up within this (plus their write delay). */
export const DEFAULT_REFRESH_MS = 3_000;

export class SharedTotals {
  #periods = new PeriodKeys();
  #timer: ReturnType<typeof setInterval>;
  #reading: Promise<void> | undefined;
  #queued: Promise<void> | undefined;
  /** Reads started and the latest one applied: a read that lands after a later one is dropped. */
  #started = 0;
  #applied = 0;
  #failing = false;

  constructor(
    private readonly source: TotalsSource,
    /** Takes each snapshot read (a fresh map: the old one is dropped whole). */
    private readonly onTotals: (buckets: Map<string, Bucket>) => void,
    private readonly now: () => number,
    refreshMs = DEFAULT_REFRESH_MS,
    /** False while no budget is set: nothing is read. */
    private readonly wanted: () => boolean = () => true,
  ) {
    this.#timer = setInterval(() => void this.refresh(), refreshMs);
    this.#timer.unref?.();
  }

  /**
   * Reads the totals now (resolves once they are in, never rejects). A call while a read is under way
   * queues one more read after it (calls meanwhile share it), so a caller never settles on a snapshot
   * taken before its call.
   */
  refresh(): Promise<void> {
    if (!this.wanted()) return Promise.resolve();
    if (this.#reading === undefined) return this.#start();
    this.#queued ??= this.#reading.then(() => {
      this.#queued = undefined;
      return this.#start();
    });
    return this.#queued;
  }

  #start(): Promise<void> {
    const read = this.#read(++this.#started).finally(() => {
      if (this.#reading === read) this.#reading = undefined;
    });
    this.#reading = read;
    return read;
  }

  async #read(seq: number): Promise<void> {
    const t = this.now();
    const day = this.#periods.day(t);
    const month = this.#periods.month(t);
    try {
      const rows = await this.source.spendTotals({ day, month });
      const buckets = new Map<string, Bucket>();
      for (const r of rows) {
        if (r.period !== day && r.period !== month) continue;
        Object.assign(bucketIn(buckets, `${r.scope}|${r.period}`, r.period), { usd: r.usd, unknown: r.unknown, tokens: r.tokens });
      }
      if (this.#failing) console.error('switchboard budgets: the team spend totals are readable again');
      this.#failing = false;
      if (seq < this.#applied) return;
      this.#applied = seq;
      this.onTotals(buckets);
    } catch (error) {
      // Said once per outage, not every few seconds; the last totals read stay (hard budgets are checked
      // in the database itself, so this only delays warnings and the status the UI shows).
      if (!this.#failing) {
        console.error(
          `switchboard budgets: cannot read the team spend totals (${(error as Error).message}); budgets show the last totals read`,
        );
      }
      this.#failing = true;
    }
  }

  close(): void {
    clearInterval(this.#timer);
  }
}
