// The team ledger's outbox: the local SQLite ledger's `requests` rows not yet copied to PostgreSQL,
// tracked by rowid in a small table of its own (`team_outbox`) inside `<dataDir>/ledger.db`.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Database from 'libsql';
import { COLUMNS, type RequestRow } from '../../ledger/rows';
import { redactDatabaseUrl } from '../database';

/** libsql loaded on first use, as the ledger does (ledger.ts explains why `require`). */
const loadLibsql = (): typeof Database => createRequire(import.meta.url)('libsql') as typeof Database;

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
  rows: RequestRow[];
  /** The rowid of the batch's last row: mark() it once the batch is in PostgreSQL. */
  lastRowid: number;
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
  private shipped: number;
  private closed = false;

  /** Opens `<dataDir>/ledger.db`, which the local ledger has already created and migrated. */
  constructor(
    dataDir: string,
    private readonly key: string,
  ) {
    this.db = new (loadLibsql())(path.join(dataDir, 'ledger.db'), { timeout: BUSY_TIMEOUT_MS });
    try {
      this.db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      this.db.exec('CREATE TABLE IF NOT EXISTS team_outbox (database TEXT PRIMARY KEY, shipped_rowid INTEGER NOT NULL)');
      const row = this.db.prepare('SELECT shipped_rowid FROM team_outbox WHERE database = ?').get(key) as
        { shipped_rowid: number } | undefined;
      this.shipped = Number(row?.shipped_rowid ?? 0);
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
    const rows = this.db.prepare(SELECT_BATCH).all(this.shipped, limit) as Array<RequestRow & { outbox_rowid: number }>;
    if (rows.length === 0) return null;
    const lastRowid = Number(rows[rows.length - 1]!.outbox_rowid);
    for (const row of rows) delete (row as Partial<typeof row>).outbox_rowid;
    return { rows, lastRowid };
  }

  /**
   * Records that every row up to `rowid` is in PostgreSQL. A crash before this line re-ships the batch,
   * which the database ignores (ON CONFLICT DO NOTHING). After close it does nothing, for the same reason.
   */
  mark(rowid: number): void {
    if (this.closed || rowid <= this.shipped) return;
    this.db
      .prepare(
        'INSERT INTO team_outbox (database, shipped_rowid) VALUES (?, ?) ON CONFLICT (database) DO UPDATE SET shipped_rowid = MAX(shipped_rowid, excluded.shipped_rowid)',
      )
      .run(this.key, rowid);
    this.shipped = rowid;
  }

  /** The newest rowid in the local ledger (what a reader waits to see shipped). */
  maxRowid(): number {
    if (this.closed) return this.shipped;
    const row = this.db.prepare('SELECT MAX(rowid) AS m FROM requests').get() as { m: number | null };
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
    const hasOutbox = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'team_outbox'").get();
    // Never shipped to any database: every row waits for the first `serve --ledger`.
    const row = hasOutbox
      ? (db.prepare('SELECT shipped_rowid FROM team_outbox WHERE database = ?').get(outboxKey(url)) as
          { shipped_rowid: number } | undefined)
      : undefined;
    return statusFrom(db, Number(row?.shipped_rowid ?? 0));
  } finally {
    db.close();
  }
}
