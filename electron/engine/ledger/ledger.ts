// The request ledger: one SQLite row per client request, queued on the hot path and written in batches,
// plus a journal entry per request in flight so a crash leaves an `interrupted` row (journal.ts).
// Opens `<dataDir>/ledger.db` (WAL, so the CLI can read spend while a server writes).
import path from 'node:path';
import Database from 'libsql';
import type { SpendQuery, SpendRequest, SpendRequestsQuery, SpendSeries, SpendSummary } from '../../../shared/types';
import { ensurePrivateDir, ensurePrivateFile, tightenFile } from '../private-files';
import { conversationStore } from './conversations';
import { queryRequests } from './requests-query';
import { requestsCsv } from './csv';
import { estimator } from './estimator';
import { INSERT_OPEN_SQL, newOwner, openValues, recoverInterrupted, releaseOwner } from './journal';
import { fromRow, INSERT_SQL, toRow, type RequestRow } from './rows';
import { migrate } from './schema';
import { startWriter, type RowWriter, type WriteResult } from './writer';
import { querySeries, querySpend } from './spend-query';
import type { Ledger, OpenRequest, PendingEstimate, RequestRecord } from './types';

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

  ensurePrivateDir(dataDir);
  const file = path.join(dataDir, 'ledger.db');
  // Spend and conversations are private: 0600, also for installs an older version left 0644.
  ensurePrivateFile(file);
  tightenFile(`${file}-wal`);
  tightenFile(`${file}-shm`);
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
  const owner = newOwner();
  // Requests a crashed process left in flight get their rows now (a live server's are left alone).
  try {
    recoverInterrupted(db);
  } catch (error) {
    onError(new Error(`could not record requests left in flight by an earlier run: ${(error as Error).message}`));
  }

  const listeners = new Set<(row: RequestRecord) => void>();
  let conversations: ReturnType<typeof conversationStore> | undefined;
  let queue: RequestRow[] = [];
  // Journal entries not yet written: a request that ends before the next flush never writes one.
  const opens = new Map<string, OpenRequest>();
  let retryOpens: unknown[][] = [];
  /** Rows waiting for their token counts (estimator.ts). */
  let estimating = 0;
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
    // A reader expects rows recorded before it asked: those still being counted are counted first (bounded).
    if (wait && estimating > 0) estimator.sync();
    const openBatch = retryOpens;
    retryOpens = [];
    for (const request of opens.values()) {
      try {
        openBatch.push(openValues(request.openEntry(), owner));
      } catch (error) {
        onError(new Error(`could not journal request ${request.id}: ${(error as Error).message}`));
      }
    }
    opens.clear();
    if (queue.length > 0 || openBatch.length > 0) {
      writer ??= startWriter(file, INSERT_SQL, BUSY_TIMEOUT_MS, INSERT_OPEN_SQL);
      const batch = queue;
      queue = [];
      writer.post(batch, openBatch);
    }
    if (writer) handle(wait ? writer.sync() : writer.drain());
  }

  /** Queues a finished row (its journal entry, if still unwritten, is dropped) and tells the listeners. */
  function enqueue(row: RequestRecord): void {
    if (closed) {
      onError(new Error(`request ${row.id} arrived after the ledger was closed and was not recorded`));
      return;
    }
    opens.delete(row.id);
    queue.push(toRow(row));
    if (queue.length >= batchSize) flushSync(false);
    else scheduleFlush();
    for (const listener of listeners) listener(row);
  }

  /** Reports dropped rows and keeps the rest of a failed batch for the next flush (bounded). */
  function handle(results: WriteResult[]): void {
    for (const r of results) {
      // A malformed row would otherwise block every later batch forever: it is dropped, and said so.
      for (const d of r.dropped) onError(new Error(`dropped request row ${d.id}: ${d.message}`));
      const failedOpens = r.failedOpens ?? [];
      if (r.failed.length === 0 && failedOpens.length === 0) continue;
      // A busy or full disk may recover: keep the rows and entries, bounded so memory cannot run away.
      queue = r.failed.concat(queue).slice(-MAX_QUEUE);
      retryOpens = failedOpens.concat(retryOpens).slice(-MAX_QUEUE);
      onError(new Error(`could not write ${r.failed.length} request rows and ${failedOpens.length} journal entries to ${file} (will retry): ${r.error ?? 'unknown error'}`));
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
    record(row: RequestRecord, estimate?: PendingEstimate): void {
      if (closed || !estimate) {
        try {
          return enqueue(row);
        } finally {
          estimate?.after?.();
        }
      }
      estimating++;
      estimator.count(estimate.groups, (counts) => {
        estimating--;
        try {
          estimate.apply(counts);
          enqueue(row);
        } finally {
          estimate.after?.();
        }
      });
    },

    open(request: OpenRequest): void {
      if (closed) return;
      opens.set(request.id, request);
      scheduleFlush();
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

    requests(query: SpendRequestsQuery): SpendRequest[] {
      flushSync();
      return queryRequests(db, query);
    },

    get conversations() {
      conversations ??= conversationStore(db, Date.now, flushSync);
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
      // Requests still in flight will never be recorded by this process: they are interrupted now.
      try {
        recoverInterrupted(db, owner);
      } catch (error) {
        onError(new Error(`could not record the requests in flight at close: ${(error as Error).message}`));
      }
      releaseOwner(owner);
      db.close();
    },
  };
}
