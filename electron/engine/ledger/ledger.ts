// The request ledger: one SQLite row per client request, queued on the hot path and written in batches.
// Opens `<dataDir>/ledger.db` (WAL, so the CLI can read spend while a server writes).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'libsql';
import type { SpendQuery, SpendSeries, SpendSummary } from '../../../shared/types';
import { conversationStore } from './conversations';
import { requestsCsv } from './csv';
import { fromRow, INSERT_SQL, toRow, type RequestRow } from './rows';
import { migrate } from './schema';
import { querySeries, querySpend } from './spend-query';
import type { Ledger, RequestRecord } from './types';

export interface LedgerOptions {
  /** How long a queued row may wait before a flush (ms). */
  flushDelayMs?: number;
  /** Queue length that triggers an immediate flush. */
  batchSize?: number;
  /** Where write failures go; the hot path never sees them. Defaults to a line on stderr. */
  onError?: (error: Error) => void;
}

/** Rows kept for a retry when writes fail; beyond this the oldest are dropped rather than exhaust memory. */
const MAX_QUEUE = 10_000;
const BUSY_TIMEOUT_MS = 5_000;

export function openLedger(dataDir: string, options: LedgerOptions = {}): Ledger {
  const flushDelayMs = options.flushDelayMs ?? 50;
  const batchSize = options.batchSize ?? 200;
  const onError = options.onError ?? ((error: Error) => console.error(`switchboard ledger: ${error.message}`));

  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'ledger.db');
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.exec('PRAGMA journal_mode = WAL');
    // NORMAL is durable against application crashes in WAL mode; only an OS crash may lose the last batch.
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    migrate(db, file);
  } catch (error) {
    db.close();
    throw error;
  }

  const insert = db.prepare(INSERT_SQL);
  const insertAll = db.transaction((rows: RequestRow[]) => {
    for (const row of rows) insert.run(row);
  });

  const listeners = new Set<(row: RequestRecord) => void>();
  let conversations: ReturnType<typeof conversationStore> | undefined;
  let queue: RequestRow[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  function flushSync(): void {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (queue.length === 0 || closed) return;
    const batch = queue;
    queue = [];
    try {
      insertAll(batch);
    } catch (error) {
      retryOneByOne(batch, error as Error);
    }
  }

  /** After a failed batch: keep its rows for the next flush, except rows that can never be written. */
  function retryOneByOne(batch: RequestRow[], batchError: Error): void {
    // Only a bad row is worth isolating; a busy, locked or full database would fail (slowly) for every row.
    const kept = isBadRow(batchError) ? insertEachDroppingBad(batch) : batch;
    if (kept.length === 0) return;
    // A busy or full disk may recover: keep the rows, bounded so memory cannot run away.
    queue = kept.concat(queue).slice(-MAX_QUEUE);
    onError(new Error(`could not write ${kept.length} request rows to ${file} (will retry): ${batchError.message}`));
  }

  /** Inserts rows one at a time; returns those that failed for a reason other than the row itself. */
  function insertEachDroppingBad(batch: RequestRow[]): RequestRow[] {
    const kept: RequestRow[] = [];
    for (const row of batch) {
      try {
        insert.run(row);
      } catch (error) {
        // A malformed row would otherwise block every later batch forever.
        if (isBadRow(error)) onError(new Error(`dropped request row ${row.id}: ${(error as Error).message}`));
        else kept.push(row);
      }
    }
    return kept;
  }

  function scheduleFlush(): void {
    if (timer) return;
    timer = setTimeout(flushSync, flushDelayMs);
    // A pending flush must not keep a CLI or a test process alive; close() flushes what is left.
    timer.unref();
  }

  return {
    record(row: RequestRecord): void {
      if (closed) {
        onError(new Error(`request ${row.id} arrived after the ledger was closed and was not recorded`));
        return;
      }
      queue.push(toRow(row));
      if (queue.length >= batchSize) flushSync();
      else scheduleFlush();
      for (const listener of listeners) listener(row);
    },

    onRecord(listener: (row: RequestRecord) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    series(query: SpendQuery): SpendSeries {
      flushSync();
      return querySeries(db, query);
    },

    csv(query: SpendQuery): Iterable<string> {
      flushSync();
      return requestsCsv(db, query);
    },

    get conversations() {
      conversations ??= conversationStore(db);
      return conversations;
    },

    async flush(): Promise<void> {
      flushSync();
    },

    spend(query: SpendQuery): SpendSummary {
      flushSync(); // queued rows count too: a caller that just recorded expects to see them
      return querySpend(db, query);
    },

    recent(limit: number): RequestRecord[] {
      flushSync();
      const rows = db
        .prepare('SELECT * FROM requests ORDER BY started_at DESC, rowid DESC LIMIT ?')
        .all(Math.max(0, Math.floor(limit))) as RequestRow[];
      return rows.map(fromRow);
    },

    async close(): Promise<void> {
      if (closed) return;
      flushSync();
      closed = true;
      db.close();
    },
  };
}

/** Errors that are about the row itself (bad values), as opposed to the database or the disk. */
function isBadRow(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG';
  return error instanceof TypeError || error instanceof RangeError || /can only bind/.test((error as Error).message);
}
