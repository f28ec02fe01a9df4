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
import { startWriter, type RowWriter, type WriteResult } from './writer';
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

  const listeners = new Set<(row: RequestRecord) => void>();
  let conversations: ReturnType<typeof conversationStore> | undefined;
  let queue: RequestRow[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  // Started on the first write, so a CLI that only reads never spawns a thread.
  let writer: RowWriter | undefined;

  /** Hands queued rows to the writer thread; with `wait`, returns only once they are committed. */
  function flushSync(wait = true): void {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (closed) return;
    if (queue.length > 0) {
      writer ??= startWriter(file, INSERT_SQL, BUSY_TIMEOUT_MS);
      const batch = queue;
      queue = [];
      writer.post(batch);
    }
    if (writer) handle(wait ? writer.sync() : writer.drain());
  }

  /** Reports dropped rows and keeps the rest of a failed batch for the next flush (bounded). */
  function handle(results: WriteResult[]): void {
    for (const r of results) {
      // A malformed row would otherwise block every later batch forever: it is dropped, and said so.
      for (const d of r.dropped) onError(new Error(`dropped request row ${d.id}: ${d.message}`));
      if (r.failed.length === 0) continue;
      // A busy or full disk may recover: keep the rows, bounded so memory cannot run away.
      queue = r.failed.concat(queue).slice(-MAX_QUEUE);
      onError(new Error(`could not write ${r.failed.length} request rows to ${file} (will retry): ${r.error ?? 'unknown error'}`));
      scheduleFlush();
    }
  }

  function scheduleFlush(): void {
    if (timer) return;
    timer = setTimeout(() => flushSync(false), flushDelayMs);
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
      if (queue.length >= batchSize) flushSync(false);
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
      writer?.close();
      db.close();
    },
  };
}
