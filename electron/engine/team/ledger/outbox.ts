// The team ledger's outbox: the local SQLite ledger's `requests` rows not yet copied to PostgreSQL,
// tracked by rowid in a small file of its own (`<dataDir>/team-outbox-<key>.json`): a mark written into
// ledger.db itself would wait, on the port's thread, for the writer thread's transactions.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'libsql';
import { loadLibsql } from '../../ledger/load-libsql';
import { COLUMNS } from '../../ledger/rows';
import { redactDatabaseUrl } from '../database';

const BUSY_TIMEOUT_MS = 5_000;

/**
 * The outbox's key for one database: a hash of its redacted URL, so the ledger file names no host,
 * user or password, and a password change does not restart the outbox from the first row.
 */
export const outboxKey = (url: string): string => createHash('sha256').update(redactDatabaseUrl(url)).digest('hex').slice(0, 32);

export interface OutboxStatus {
  /** Rows written to the local ledger and not yet in PostgreSQL. */
  unshipped: number;
  /** started_at (epoch ms) of the oldest of them, null when none waits. */
  oldestUnshippedAt: number | null;
}

export interface OutboxBatch {
  /** Each row's values in COLUMNS order (ledger/rows.ts): arrays, not objects, are what the shipper sends. */
  rows: unknown[][];
  /** The rowid of the batch's last row: mark() it once the batch is in PostgreSQL. */
  lastRowid: number;
}

/** The file holding how far the outbox to one database has shipped. */
export const markFile = (dataDir: string, key: string): string => path.join(dataDir, `team-outbox-${key}.json`);

function readMark(file: string): number {
  try {
    const value = (JSON.parse(fs.readFileSync(file, 'utf8')) as { shippedRowid?: unknown }).shippedRowid;
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
  } catch {
    return 0; // never shipped (or a torn file: shipping again from the start duplicates nothing)
  }
}

const SELECT_BATCH = `SELECT rowid AS outbox_rowid, ${COLUMNS.join(', ')} FROM requests WHERE rowid > ? ORDER BY rowid LIMIT ?`;
const STATUS_SQL = 'SELECT COUNT(*) AS n, MIN(started_at) AS oldest FROM requests WHERE rowid > ?';

function statusFrom(db: Database.Database, shippedRowid: number): OutboxStatus {
  const row = db.prepare(STATUS_SQL).get(shippedRowid) as { n: number; oldest: number | null };
  return { unshipped: Number(row.n), oldestUnshippedAt: row.oldest === null ? null : Number(row.oldest) };
}

/** The outbox of one open team ledger: its own connection to the local ledger file (WAL: reads never wait for the writer). */
export class LocalOutbox {
  private readonly db: Database.Database;
  private readonly file: string;
  private readonly selectBatch: Database.Statement;
  private readonly selectMax: Database.Statement;
  private shipped: number;
  private closed = false;

  /** Opens `<dataDir>/ledger.db` (read only: this connection never takes the write lock), which the local ledger has already created and migrated. */
  constructor(dataDir: string, key: string) {
    this.file = markFile(dataDir, key);
    this.shipped = readMark(this.file);
    this.db = new (loadLibsql())(path.join(dataDir, 'ledger.db'), { readonly: true, timeout: BUSY_TIMEOUT_MS });
    try {
      // Arrays, not objects: a row object per column name cost more than shipping it.
      this.selectBatch = this.db.prepare(SELECT_BATCH).raw(true);
      this.selectMax = this.db.prepare('SELECT MAX(rowid) AS m FROM requests');
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  /** The rowid up to which every row is in PostgreSQL. */
  get shippedRowid(): number {
    return this.shipped;
  }

  /** The next rows to ship, oldest first (at most `limit`); empty when none waits or the outbox is closed. */
  batch(limit: number): OutboxBatch | null {
    if (this.closed) return null;
    const found = this.selectBatch.all(this.shipped, limit) as unknown[][];
    if (found.length === 0) return null;
    const lastRowid = Number(found[found.length - 1]![0]);
    return { rows: found.map((r) => r.slice(1)), lastRowid };
  }

  /**
   * Records that every row up to `rowid` is in PostgreSQL. A crash before this line re-ships the batch,
   * which the database ignores (ON CONFLICT DO NOTHING). After close it does nothing, for the same reason.
   */
  mark(rowid: number): void {
    if (this.closed || rowid <= this.shipped) return;
    // Written whole and renamed over the old one, so a crash leaves the old mark or the new, never half.
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ shippedRowid: rowid }), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
    this.shipped = rowid;
  }

  /** The newest rowid in the local ledger (what a reader waits to see shipped). */
  maxRowid(): number {
    if (this.closed) return this.shipped;
    const row = this.selectMax.get() as { m: number | null };
    return Number(row.m ?? 0);
  }

  status(): OutboxStatus {
    if (this.closed) return { unshipped: 0, oldestUnshippedAt: null };
    return statusFrom(this.db, this.shipped);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}

/**
 * The outbox of `<dataDir>/ledger.db` toward the database at `url`, read without writing anything (for
 * doctor, beside a running server). Null when the data dir has no ledger yet.
 */
export function readOutboxStatus(dataDir: string, url: string): OutboxStatus | null {
  const file = path.join(dataDir, 'ledger.db');
  if (!fs.existsSync(file)) return null;
  const db = new (loadLibsql())(file, { readonly: true, timeout: BUSY_TIMEOUT_MS });
  try {
    const hasRequests = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'requests'").get();
    if (!hasRequests) return { unshipped: 0, oldestUnshippedAt: null };
    // Never shipped to that database: every row waits for the first `serve --ledger`.
    return statusFrom(db, readMark(markFile(dataDir, outboxKey(url))));
  } finally {
    db.close();
  }
}
