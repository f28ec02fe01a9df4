// The ledger's writer thread (started by writer.ts): inserts each batch of journal entries and rows in
// one transaction on a SQLite connection of its own, and answers every batch, in order, by its number.
// Bundled on its own (scripts/build.mjs); run from source, worker-file.ts compiles it.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'libsql';
import { batchInserter } from './batch-insert';
import type { BatchFailure, WriterData, WriterReply, WriterRequest } from './writer';

const data = workerData as WriterData;
const port = parentPort!;
const db = new Database(data.file, { timeout: data.busyMs });
db.exec('PRAGMA journal_mode = WAL');
db.exec('PRAGMA synchronous = NORMAL');
db.exec(`PRAGMA busy_timeout = ${data.busyMs}`);
const insert = db.prepare(data.insertSql);
const insertOpen = db.prepare(data.insertOpenSql);
const insertRows = batchInserter(db);
const insertAll = db.transaction((opens: unknown[][], rows: unknown[][]) => {
  for (const o of opens) insertOpen.run(...o);
  insertRows(rows);
});

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
function salvage(opens: unknown[][], rows: unknown[][], error: unknown): BatchFailure {
  const failure: BatchFailure = { dropped: [], failed: rows, failedOpens: opens, error: (error as Error).message };
  if (!isBadRow(error)) return failure;
  failure.failed = [];
  failure.failedOpens = [];
  const one = (statement: typeof insert, values: unknown[], keep: unknown[][]) => {
    try {
      statement.run(...values);
    } catch (e) {
      if (isBadRow(e)) failure.dropped.push({ id: String(values[0]), message: (e as Error).message });
      else keep.push(values);
    }
  };
  for (const o of opens) one(insertOpen, o, failure.failedOpens);
  for (const r of rows) one(insert, r, failure.failed);
  return failure;
}

port.on('message', (message: WriterRequest) => {
  if (message.type === 'close') {
    db.close();
    port.postMessage({ type: 'closed' } satisfies WriterReply);
    port.close();
    return;
  }
  let failure: BatchFailure | undefined;
  const rows = JSON.parse(message.rows) as unknown[][];
  try {
    insertAll(message.opens, rows);
  } catch (error) {
    failure = salvage(message.opens, rows, error);
  }
  port.postMessage({ type: 'written', seq: message.seq, failure } satisfies WriterReply);
});
