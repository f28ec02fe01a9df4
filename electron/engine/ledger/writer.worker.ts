// The ledger's writer thread (started by writer.ts): inserts each batch of journal entries and rows in
// one transaction on a SQLite connection of its own, and answers every batch, in order, by its number.
// Bundled on its own (scripts/build.mjs); run from source, worker-file.ts compiles it.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'libsql';
import { lowerThreadPriority } from '../background-priority';
import { batchInserter } from './batch-insert';
import type { BatchFailure, WriterData, WriterReply, WriterRequest } from './writer';

// Commits are background work: the port's thread goes first when both want a core (background-priority.ts).
lowerThreadPriority();
const data = workerData as WriterData;
const port = parentPort!;
const db = new Database(data.file, { timeout: data.busyMs });
db.exec('PRAGMA journal_mode = WAL');
db.exec('PRAGMA synchronous = NORMAL');
db.exec(`PRAGMA busy_timeout = ${data.busyMs}`);
const insert = db.prepare(data.insertSql);
const insertOpen = db.prepare(data.insertOpenSql);
const insertRows = batchInserter(db);

/**
 * Ids of the journal entries this thread has committed and not yet closed: this ledger's entries are
 * written only here, so a row needs its entry deleted only when its id is in this set (or among its
 * batch's own entries). An entry missed (a row dropped as malformed) is harmless: at close, or at the next
 * start after a crash, its request's stored row wins over it (journal.ts recoverInterrupted).
 */
const journaled = new Set<string>();
/** Far above the requests that can be in flight at once: past it the set is a leak, and is let go. */
const MAX_JOURNALED = 100_000;

/** The ids of the batch being written's own journal entries. */
const opened = new Set<string>();
/**
 * Whether a row has a journal entry to close. One function for every batch: a closure made per batch
 * would make V8 drop the writer's optimized code, which inlines it, at each batch.
 */
const hasEntry = (id: string): boolean => journaled.has(id) || opened.has(id);

/** Inserts a batch in one transaction; returns the ids of the journal entries it closed. */
const insertAll = db.transaction((opens: unknown[][], lines: readonly string[]): string[] => {
  opened.clear();
  for (const o of opens) {
    insertOpen.run(...o);
    opened.add(o[0] as string);
  }
  return insertRows(lines, hasEntry);
});

/** After a commit: the batch's entries are in the table, the closed ones gone from it. */
function committed(opens: unknown[][], closed: string[]): void {
  if (journaled.size > MAX_JOURNALED) journaled.clear();
  for (const o of opens) journaled.add(o[0] as string);
  for (const id of closed) journaled.delete(id);
}

/** A value SQLite will never accept (retrying cannot help), as opposed to a busy or full disk. */
function isBadRow(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG';
  return error instanceof TypeError || error instanceof RangeError || /can only bind/.test(String((error as Error | null)?.message));
}

/**
 * Writes what can be written of a failed batch one by one: bad values are dropped, the rest kept for a
 * retry. These single-row inserts leave `batched` at 0, so the schema's triggers roll them up.
 */
function salvage(opens: unknown[][], lines: readonly string[], error: unknown): BatchFailure {
  const rows = lines.map((line) => JSON.parse(line) as unknown[]);
  const failure: BatchFailure = { dropped: [], failed: rows, failedOpens: opens, error: (error as Error).message };
  if (!isBadRow(error)) return failure;
  failure.failed = [];
  failure.failedOpens = [];
  /** Inserts one; false when it failed (dropped or kept for a retry). */
  const one = (statement: typeof insert, values: unknown[], keep: unknown[][]): boolean => {
    try {
      statement.run(...values);
      return true;
    } catch (e) {
      if (isBadRow(e)) failure.dropped.push({ id: String(values[0]), message: (e as Error).message });
      else keep.push(values);
      return false;
    }
  };
  for (const o of opens) if (one(insertOpen, o, failure.failedOpens)) journaled.add(o[0] as string);
  // A row inserted alone closes its entry by the schema's trigger (batched = 0).
  for (const r of rows) if (one(insert, r, failure.failed)) journaled.delete(r[0] as string);
  return failure;
}

/** Rows sent ahead of their batch (writer.ts `feed`), as the bytes of their lines, written with it. */
let held: Uint8Array[] = [];
const utf8 = new TextDecoder();

port.on('message', (message: WriterRequest) => {
  if (message.type === 'rows') {
    held.push(message.bytes);
    return;
  }
  if (message.type === 'close') {
    db.close();
    port.postMessage({ type: 'closed' } satisfies WriterReply);
    port.close();
    return;
  }
  let rows = message.rows;
  if (held.length > 0) {
    const all: string[] = [];
    for (const bytes of held) for (const line of utf8.decode(bytes).split('\n')) all.push(line);
    for (const row of rows) all.push(row);
    rows = all;
    held = [];
  }
  let failure: BatchFailure | undefined;
  try {
    committed(message.opens, insertAll(message.opens, rows));
  } catch (error) {
    failure = salvage(message.opens, rows, error);
  }
  port.postMessage({ type: 'written', seq: message.seq, failure } satisfies WriterReply);
});
