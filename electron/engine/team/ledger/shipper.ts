// Ships the outbox to PostgreSQL: soon after rows are written, one batch in flight at most, backing off
// while the database is away (said once per outage), and lets readers wait for this process's rows.
import { setTimeout as delay } from 'node:timers/promises';
import type { Database } from '../database';
import { scrubbed, TeamLedgerUnavailableError } from './errors';
import type { LocalOutbox, OutboxStatus } from './outbox';
import { shipRows } from './ship-batch';

export interface ShipperOptions {
  db: Database;
  outbox: LocalOutbox;
  /** Written into each row's `instance` column. */
  instance: string;
  /** The database's URL: redacted for messages, its password cut from any driver message. */
  url: string;
  database: string;
  /** Writes the local ledger's queued rows (so they can be read from the outbox). */
  flushLocal(): Promise<void>;
  onError(error: Error): void;
  /** Wait after a row is recorded before shipping (rows recorded meanwhile go in the same batch). */
  delayMs?: number;
  batchSize?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface ShipStatus extends OutboxStatus {
  /** The error of the outage in progress (redacted); null once a batch ships again. */
  lastError: string | null;
  /** When a batch last reached the database (epoch ms). */
  lastShippedAt: number | null;
}

/** A failure of the local side (the outbox's own connection), told apart from the database being away. */
class LocalOutboxError extends Error {
  override readonly name = 'LocalOutboxError';
}

export class Shipper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<boolean> | undefined;
  /** Rows were recorded while a pass ran: look again when it ends. */
  private again = false;
  /** 0 outside an outage; else the wait before the next attempt. */
  private backoffMs = 0;
  private stopped = false;
  private lastError: string | null = null;
  private lastShippedAt: number | null = null;
  private readonly delayMs: number;
  private readonly batchSize: number;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(private readonly o: ShipperOptions) {
    this.delayMs = o.delayMs ?? 100;
    this.batchSize = o.batchSize ?? 500;
    this.minBackoffMs = o.minBackoffMs ?? 500;
    this.maxBackoffMs = o.maxBackoffMs ?? 5_000;
  }

  /** Rows were recorded: ship them soon. In an outage the retry already waiting covers them. */
  soon(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (!this.timer) this.arm(this.delayMs);
  }

  /** One pass (joining the one running): local flush, then batches until none waits. True when it ended with the outbox empty. */
  pass(): Promise<boolean> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
      if (this.again && this.backoffMs === 0) {
        this.again = false;
        this.soon();
      }
    });
    return this.running;
  }

  /**
   * Resolves once every row written locally before the call is in the database; rejects with
   * TeamLedgerUnavailableError when that takes longer than `timeoutMs` (the database is away).
   */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await this.o.flushLocal();
    const target = this.o.outbox.maxRowid();
    while (this.o.outbox.shippedRowid < target) {
      const left = deadline - Date.now();
      if (this.stopped) throw new Error('the team ledger is closed');
      if (left <= 0) {
        const why = this.lastError ?? `this instance's rows did not reach it within ${timeoutMs} ms`;
        throw new TeamLedgerUnavailableError(this.o.database, why);
      }
      // A waiting reader tries at once, backoff or not; a failed try waits a little before the next.
      const ok = await Promise.race([this.pass(), delay(Math.min(left, 100), null)]);
      if (ok === false) await delay(Math.max(0, Math.min(250, deadline - Date.now())));
    }
  }

  /** A last pass for close(): after the one running, bounded by `timeoutMs`. No timer is armed afterwards. */
  async final(timeoutMs: number): Promise<void> {
    this.stop();
    const last = (async () => {
      await this.running;
      await this.pass();
    })();
    await Promise.race([last, delay(timeoutMs, undefined, { ref: false })]);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  status(): ShipStatus {
    return { ...this.o.outbox.status(), lastError: this.lastError, lastShippedAt: this.lastShippedAt };
  }

  private arm(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.pass();
    }, ms);
    // A pending ship must not keep a CLI or a test alive; close() ships what is left.
    this.timer.unref();
  }

  private async run(): Promise<boolean> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    try {
      await this.o.flushLocal();
      // Bounded by the backlog on disk: each turn ships one batch and the loop ends when none waits.
      for (;;) {
        let batch;
        try {
          batch = this.o.outbox.batch(this.batchSize);
        } catch (error) {
          throw new LocalOutboxError(`could not read the outbox: ${(error as Error).message}`);
        }
        if (!batch) return true;
        const result = await shipRows(this.o.db, batch.rows, this.o.instance);
        for (const r of result.refused) {
          this.o.onError(new Error(`the team ledger ${this.o.database} refused request row ${r.id}, left out: ${this.scrub(r.message)}`));
        }
        try {
          this.o.outbox.mark(batch.lastRowid);
        } catch (error) {
          // The batch is in the database; it is shipped again later, which the database ignores.
          throw new LocalOutboxError(`could not record shipped rows: ${(error as Error).message}`);
        }
        this.lastShippedAt = Date.now();
        this.recovered();
      }
    } catch (error) {
      this.failed(error as Error);
      return false;
    }
  }

  private recovered(): void {
    this.backoffMs = 0;
    this.lastError = null;
  }

  private failed(error: Error): void {
    const message = this.scrub(error.message);
    const firstInOutage = this.backoffMs === 0;
    this.lastError = error instanceof LocalOutboxError ? `local outbox: ${message}` : message;
    this.backoffMs = firstInOutage ? this.minBackoffMs : Math.min(this.backoffMs * 2, this.maxBackoffMs);
    if (firstInOutage) {
      this.o.onError(
        error instanceof LocalOutboxError
          ? new Error(`team ledger outbox: ${message} (will retry)`)
          : new TeamLedgerUnavailableError(this.o.database, `${message}; rows wait in the local ledger and ship when it returns`),
      );
    }
    this.arm(this.backoffMs);
  }

  private scrub(message: string): string {
    return scrubbed(message, this.o.url);
  }
}
