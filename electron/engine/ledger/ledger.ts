// The request ledger: one SQLite row per client request, queued on the hot path and written in batches
// by a writer thread, plus a journal entry per request in flight so a crash leaves an `interrupted` row
// (journal.ts). Reads await the writer (never block on it). Opens `<dataDir>/ledger.db` (WAL, so the
// CLI can read spend while a server writes).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type Database from 'libsql';
import { loadLibsql } from './load-libsql';
import type { SpendQuery, SpendRequest, SpendRequestsQuery, SpendSeries, SpendSummary } from '../../../shared/types';
import { ensurePrivateDir, ensurePrivateFile, tightenFile } from '../private-files';
import { conversationStore } from './conversations';
import { queryRequests } from './requests-query';
import { requestsCsv } from './csv';
import { estimator } from './estimator';
import { INSERT_OPEN_SQL, newOwner, openValues, ownerGone, recoverInterrupted, releaseOwner } from './journal';
import { orphanedRows, RowLog, rowLine, rowLogDir, rowOfLine } from './row-log';
import { fromRow, INSERT_SQL, rowValues, toRow, type RequestRow } from './rows';
import { migrate } from './schema';
import { startWriter, type RowWriter, type WriteResult } from './writer';
import { querySeries, querySpend } from './spend-query';
import type { Ledger, LedgerConversations, OpenRequest, PendingEstimate, RequestRecord, SettledView } from './types';

/**
 * How long a finished row may wait for its batch, and how many rows make one at once. Each batch wakes
 * the writer thread and ends in a commit, costs a small batch pays over fewer rows: measured with the
 * writer bench's rows (test/bench/writer-cpu.ts, each isolate collecting on its own thread), at ~5,900
 * rows/s batches of 1,000 cost the writer 6.0-6.7 µs a row and a 50 ms delay's ~300 cost 7.7-8.3; at
 * ~2,450 rows/s the 200 ms delay's ~490 cost 8.3-9.7 and a 50 ms delay's ~120 cost 11.7. (A shorter delay
 * would let rows die young on this thread, ~30% fewer mark-compacts of its heap under load, but not at
 * that price.) Waiting rows are safe in the row log; a request in flight is journaled at the first flush
 * after it starts.
 */
export const FLUSH_DELAY_MS = 200;
export const BATCH_SIZE = 1_000;

/**
 * Queued rows go to the writer thread this soon, once at least FEED_MIN wait, and it holds them for
 * their batch. A row kept here until its batch outlives a young-generation collection or two of the
 * port's heap and is promoted to the old generation, whose growth sets how often a mark-compact pauses
 * the port; and posting strings that already live there copies them there again. Sent young, they die
 * young. Measured on `serve` under a fixed-rate load of 2,400 req/s (interleaved A/B, three runs): bytes
 * surviving each scavenge of the port's heap 523-531 -> 406-412 KB, promoted 273-285 -> 207-214 KB,
 * mark-compacts 6 -> 5, CPU per request at concurrency 32 unchanged. The writer thread holds them as
 * UTF-8 bytes, outside its heap (writer.ts feed): held as strings in its small young generation, they
 * cost it 1.0-1.7 µs a row; as bytes, the writer pays 0.8-2.0 µs a row less than with strings (three
 * interleaved pairs of test/bench/writer-cpu.ts, 8.8-9.0 -> 6.8-8.0 µs). Below FEED_MIN the batch
 * carries them (a lone request wakes the thread once, not twice).
 */
export const FEED_DELAY_MS = 20;
export const FEED_MIN = 16;

export interface LedgerOptions {
  /** How long a queued row may wait before a flush (ms). */
  flushDelayMs?: number;
  /** Queue length that triggers an immediate flush. */
  batchSize?: number;
  /** How long queued rows wait before they are sent ahead to the writer thread (ms). */
  feedDelayMs?: number;
  /** Where write failures go; the hot path never sees them. Defaults to a line on stderr. */
  onError?: (error: Error) => void;
}

/** Rows kept for a retry when writes fail; beyond this the oldest are dropped rather than exhaust memory. */
const MAX_QUEUE = 10_000;
const BUSY_TIMEOUT_MS = 5_000;

export function openLedger(dataDir: string, options: LedgerOptions = {}): Ledger {
  const flushDelayMs = options.flushDelayMs ?? FLUSH_DELAY_MS;
  const batchSize = options.batchSize ?? BATCH_SIZE;
  const feedDelayMs = options.feedDelayMs ?? FEED_DELAY_MS;
  const onError = options.onError ?? ((error: Error) => console.error(`switchboard ledger: ${error.message}`));

  ensurePrivateDir(dataDir);
  const file = path.join(dataDir, 'ledger.db');
  // Spend and conversations are private: 0600, also for installs an older version left 0644.
  ensurePrivateFile(file);
  tightenFile(`${file}-wal`);
  tightenFile(`${file}-shm`);
  if (existsSync(rowLogDir(dataDir))) ensurePrivateDir(rowLogDir(dataDir));
  const db = new (loadLibsql())(file, { timeout: BUSY_TIMEOUT_MS });
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
  // Rows a killed process had answered but not yet committed, first: a request that finished is never
  // recorded as interrupted. Then requests a crashed process left in flight (a live server's are left alone).
  try {
    commitOrphanedRows(db, dataDir);
  } catch (error) {
    onError(new Error(`could not record the requests an earlier run answered just before it stopped: ${(error as Error).message}`));
  }
  try {
    recoverInterrupted(db);
  } catch (error) {
    onError(new Error(`could not record requests left in flight by an earlier run: ${(error as Error).message}`));
  }

  const listeners = new Set<(row: RequestRecord) => void>();
  let conversations: LedgerConversations | undefined;
  /**
   * The queue: each row's values as JSON (row-log.ts rowLine), written to the row log and sent to the
   * writer as is. Text rather than row objects: a row waits up to a flush (FLUSH_DELAY_MS), long enough to be
   * promoted to the old generation, and one string per row costs the GC less than an object graph.
   */
  let lines: string[] = [];
  /** Rows sent ahead to the writer thread (FEED_DELAY_MS), held there for the next batch: in neither `lines` nor the database. */
  let fed = 0;
  let feedTimer: NodeJS.Timeout | undefined;
  // Journal entries not yet written: a request that ends before the next flush never writes one. A new
  // map after each flush, not the same one cleared: entries come and go per request, and a map that
  // lives long enough to be promoted rebuilds its hash table in the old generation as they do (as does
  // `inFlight`, made anew whenever it empties).
  let opens = new Map<string, OpenRequest>();
  let retryOpens: unknown[][] = [];
  /** Rows waiting for their token counts (estimator.ts). */
  let estimating = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let closing: Promise<void> | undefined;
  // Started on the first write, so a CLI that only reads never spawns a thread.
  let writer: RowWriter | undefined;
  /** Readers waiting for a moment when no batch is being written (whenSettled); nothing is posted meanwhile. */
  let settledReaders: Array<(view: SettledView) => void> = [];
  /** Rows since the last batch, on disk until their batch is committed (row-log.ts). */
  const rowLog = new RowLog(dataDir, owner);
  /** Row-log files by the number of the batch holding their rows (batches are numbered from 1, as the writer does). */
  const logOfBatch = new Map<number, string>();
  let batches = 0;
  let logFailed = false;
  /** Rows recorded in this turn of the event loop, not yet in the row log, and their responses' last writes (logPending). */
  let unlogged: string[] = [];
  let ends: Array<() => void> = [];
  let logTurn: NodeJS.Immediate | undefined;
  /**
   * Requests journaled (open) and not yet recorded. When a row's request was the only one, no other
   * answer can join this turn's row-log write, and the response need not wait for the turn's end.
   */
  let inFlight = new Set<string>();

  /** Hands queued rows (and journal entries) to the writer thread; returns at once. `final`: the last, at close. */
  function post(final = false): void {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (feedTimer) {
      clearTimeout(feedTimer);
      feedTimer = undefined;
    }
    if (closed && !final) return;
    // While a settled reader waits, rows stay queued (it counts them from there); the timer retries. Rows
    // the writer holds are in neither place, so they are committed first (readSettled).
    if (settledReaders.length > 0 && !final && fed === 0) return scheduleFlush();
    const openBatch = retryOpens;
    retryOpens = [];
    for (const request of opens.values()) {
      try {
        openBatch.push(openValues(request.openEntry(), owner));
      } catch (error) {
        onError(new Error(`could not journal request ${request.id}: ${(error as Error).message}`));
      }
    }
    opens = new Map();
    if (lines.length > 0 || openBatch.length > 0 || fed > 0) {
      const thread = startedWriter();
      // The batch's rows are all in the file sealed with it (those of this turn are written now), and
      // the writer adds the rows it holds.
      logPending();
      const batch = lines;
      lines = [];
      fed = 0;
      const log = rowLog.seal();
      thread.post(batch, openBatch);
      if (log) logOfBatch.set(++batches, log);
      else batches++;
    }
  }

  /** The writer thread, started on the first row or journal entry to write. */
  function startedWriter(): RowWriter {
    writer ??= startWriter({
      file,
      insertSql: INSERT_SQL,
      insertOpenSql: INSERT_OPEN_SQL,
      busyMs: BUSY_TIMEOUT_MS,
      onFailure: handle,
      onWritten: (seq) => {
        const log = logOfBatch.get(seq);
        if (log === undefined) return;
        logOfBatch.delete(seq);
        RowLog.drop(log);
      },
      onIdle: readSettled,
    });
    return writer;
  }

  /** Sends the queued rows ahead to the writer thread, which holds them for the next batch (FEED_DELAY_MS). */
  function feed(): void {
    feedTimer = undefined;
    // While a settled reader waits, rows stay queued (it counts them there).
    if (closed || settledReaders.length > 0 || lines.length === 0) return;
    if (!startedWriter().feed(lines)) return; // a writer that failed: the batch reports it, with the rows
    fed += lines.length;
    lines = [];
  }

  /**
   * Resolves once every row recorded before the call is committed: rows still being counted are
   * counted first (bounded), then everything queued is written. Awaited, never blocking the loop.
   */
  async function flush(): Promise<void> {
    if (closed) return;
    if (estimating > 0) await estimator.settled();
    // A settled reader holds posting while a batch is written: once it has read, the queue goes.
    while (settledReaders.length > 0 && writer?.busy) await writer.settled();
    post();
    await writer?.settled();
  }

  /** Runs the waiting settled readers, now that no batch is being written. */
  function readSettled(): void {
    if (settledReaders.length === 0 || writer?.busy) return;
    // Rows the writer thread holds are in neither the database nor the queue: committed first, then read.
    if (fed > 0) {
      try {
        return post();
      } catch (error) {
        // The writer failed with them: what there is is read (they wait in the row log for the next start).
        onError(new Error(`could not write the rows held by the ledger writer: ${(error as Error).message}`));
      }
    }
    const readers = settledReaders;
    settledReaders = [];
    const view: SettledView = { spend: (query) => querySpend(db, query), unwritten: lines.map((line) => fromRow(rowOfLine(line))) };
    for (const read of readers) {
      try {
        read(view);
      } catch (error) {
        onError(new Error(`a ledger reader failed: ${(error as Error).message}`));
      }
    }
    if (lines.length > 0) scheduleFlush();
  }

  /** Runs a read of the database once every row recorded before the call is written. */
  async function afterFlush<T>(read: () => T): Promise<T> {
    await flush();
    return read();
  }

  /**
   * Queues a finished row (its journal entry, if still unwritten, is dropped) and tells the listeners;
   * `logged` runs once the row is in the row log (logPending): at once when no other request is in
   * flight, else at the end of this turn of the event loop, with the rows of the answers that came with it.
   */
  function enqueue(row: RequestRecord, logged?: () => void): void {
    if (closed) {
      logged?.();
      onError(new Error(`request ${row.id} arrived after the ledger was closed and was not recorded`));
      return;
    }
    opens.delete(row.id);
    inFlight.delete(row.id);
    let line: string;
    try {
      line = rowLine(toRow(row));
    } catch (error) {
      logged?.(); // a row that cannot be formatted must not leave its response unended
      throw error;
    }
    lines.push(line);
    unlogged.push(line);
    if (logged) ends.push(logged);
    const alone = inFlight.size === 0;
    if (alone) inFlight = new Set();
    else logTurn ??= setImmediate(logPending);
    if (lines.length + fed >= batchSize) post();
    else {
      scheduleFlush();
      if (lines.length >= FEED_MIN && !feedTimer) {
        feedTimer = setTimeout(feed, feedDelayMs);
        feedTimer.unref();
      }
    }
    try {
      for (const listener of listeners) listener(row);
    } finally {
      // After the listeners (budgets count the row's cost first), and even when one throws.
      if (alone) logPending();
    }
  }

  /**
   * Appends the rows recorded in this turn of the event loop to the row log in one write, then ends
   * their responses: each still ends only after its row is on disk, and at concurrency one write(2)
   * serves every answer that arrived together instead of one each.
   */
  function logPending(): void {
    if (logTurn) {
      clearImmediate(logTurn);
      logTurn = undefined;
    }
    if (unlogged.length === 0) return;
    const logging = unlogged;
    const ending = ends;
    unlogged = [];
    ends = [];
    logRows(logging);
    for (const end of ending) {
      try {
        end();
      } catch (error) {
        onError(new Error(`a response could not be ended after its row was kept: ${(error as Error).message}`));
      }
    }
  }

  /** Reports dropped rows and keeps the rest of a failed batch for the next flush (bounded). */
  function handle(r: WriteResult): void {
    // A malformed row would otherwise block every later batch forever: it is dropped, and said so.
    for (const d of r.dropped) onError(new Error(`dropped request row ${d.id}: ${d.message}`));
    if (r.failed.length === 0 && r.failedOpens.length === 0) return;
    // A busy or full disk may recover: keep the rows and entries, bounded so memory cannot run away.
    const failedLines = r.failed.map(rowLine);
    lines = failedLines.concat(lines).slice(-MAX_QUEUE);
    // Their batch's log file goes once this answer is handled: they wait in the current one again.
    logRows(failedLines.slice(-MAX_QUEUE));
    retryOpens = r.failedOpens.concat(retryOpens).slice(-MAX_QUEUE);
    onError(
      new Error(
        `could not write ${r.failed.length} request rows and ${r.failedOpens.length} journal entries to ${file} (will retry): ${r.error}`,
      ),
    );
    if (!closed) scheduleFlush();
  }

  /** On disk before the caller goes on; a disk that refuses is reported once and the rows still go to the writer. */
  function logRows(rows: string[]): void {
    if (rows.length === 0) return;
    try {
      rowLog.append(rows);
      logFailed = false;
    } catch (error) {
      if (!logFailed) onError(new Error(`could not keep finished requests on disk until they are written: ${(error as Error).message}`));
      logFailed = true;
    }
  }

  function scheduleFlush(): void {
    if (timer) return;
    timer = setTimeout(post, flushDelayMs);
    // A pending flush must not keep a CLI or a test process alive; close() flushes what is left.
    timer.unref();
  }

  return {
    record(row: RequestRecord, estimate?: PendingEstimate, logged?: () => void): void {
      if (closed || !estimate) {
        try {
          return enqueue(row, logged);
        } finally {
          estimate?.after?.();
        }
      }
      // Its counts come from another thread: the response does not wait for them.
      logged?.();
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
      // A request opened and never recorded (a bug) only costs batching; past this many, the set is let go.
      if (inFlight.size >= 100_000) inFlight.clear();
      inFlight.add(request.id);
      scheduleFlush();
    },

    onRecord(listener: (row: RequestRecord) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    whenSettled(read: (view: SettledView) => void): void {
      if (closed) return;
      settledReaders.push(read);
      readSettled();
    },

    // Queued rows count too: a caller that just recorded expects to see them.
    series: (query: SpendQuery): Promise<SpendSeries> => afterFlush(() => querySeries(db, query)),
    csv: (query: SpendQuery): Promise<Iterable<string>> => afterFlush(() => requestsCsv(db, query)),
    requests: (query: SpendRequestsQuery): Promise<SpendRequest[]> => afterFlush(() => queryRequests(db, query)),
    spend: (query: SpendQuery): Promise<SpendSummary> => afterFlush(() => querySpend(db, query)),
    flush,

    get conversations() {
      if (!conversations) {
        const store = conversationStore(db, Date.now);
        // A message's report joins the request that made it: that request's row is written first.
        conversations = { ...store, get: (id: string) => afterFlush(() => store.get(id)) };
      }
      return conversations;
    },

    recent: (limit: number): Promise<RequestRecord[]> =>
      afterFlush(() =>
        (
          db
            .prepare('SELECT * FROM requests ORDER BY started_at DESC, rowid DESC LIMIT ?')
            .all(Math.max(0, Math.floor(limit))) as RequestRow[]
        ).map(fromRow),
      ),

    close(): Promise<void> {
      closing ??= closeNow();
      return closing;
    },
  };

  /** Rows still being counted get their figures (bounded) and are queued, then written; from then on rows are refused. */
  async function closeNow(): Promise<void> {
    if (estimating > 0) await estimator.settled();
    closed = true;
    settledReaders = [];
    post(true);
    await writer?.close();
    // Rows still queued (their batch failed) stay in the last log file for the next start; else it goes.
    const last = rowLog.seal();
    if (last && lines.length === 0) RowLog.drop(last);
    // Requests still in flight will never be recorded by this process: they are interrupted now.
    try {
      recoverInterrupted(db, owner);
    } catch (error) {
      onError(new Error(`could not record the requests in flight at close: ${(error as Error).message}`));
    }
    releaseOwner(owner);
    db.close();
  }
}

/** Commits the rows in row logs of processes that are gone, then deletes those logs. */
function commitOrphanedRows(db: Database.Database, dataDir: string): void {
  const { rows, files } = orphanedRows(dataDir, ownerGone);
  if (files.length === 0) return;
  const insert = db.prepare(INSERT_SQL);
  // ON CONFLICT DO NOTHING: a row its process did commit before it stopped is not counted twice.
  db.transaction(() => {
    for (const row of rows) insert.run(...rowValues(row));
  }).immediate();
  for (const file of files) RowLog.drop(file);
}
