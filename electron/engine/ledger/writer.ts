// The ledger's writer thread: batches of rows (and journal entries of requests in flight) are inserted by
// a worker with its own SQLite connection, so a commit (and the rollup trigger) never holds up the event
// loop that serves the port. The main thread waits for it only when asked to flush (spend queries,
// close), never on the hot path.
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { rowFromValues, rowValues, type RequestRow } from './rows';

export interface WriteResult {
  /** Rows that can never be written (bad values), with why. */
  dropped: Array<{ id: string; message: string }>;
  /** Rows that failed for a reason that may pass (busy, disk full), to retry. */
  failed: RequestRow[];
  /** Journal entries (as values) that failed the same way. */
  failedOpens: unknown[][];
  error?: string;
}

export interface RowWriter {
  /** Hands a batch to the writer thread; returns at once. Journal entries are inserted before the rows. */
  post(rows: RequestRow[], opens?: unknown[][]): void;
  /** Waits until every posted batch is committed (or failed), then returns their results. */
  sync(timeoutMs?: number): WriteResult[];
  /** Results that arrived without waiting. */
  drain(): WriteResult[];
  close(): void;
}

// Plain JS run by the worker (eval'd, so no separate build artifact is needed).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.libsql);
const db = new Database(workerData.file, { timeout: workerData.busyMs });
db.exec('PRAGMA journal_mode = WAL');
db.exec('PRAGMA synchronous = NORMAL');
db.exec('PRAGMA busy_timeout = ' + workerData.busyMs);
const insert = db.prepare(workerData.sql);
const insertOpen = db.prepare(workerData.openSql);
const insertAll = db.transaction((opens, rows) => {
  for (const o of opens) insertOpen.run(...o);
  for (const r of rows) insert.run(...r);
});
const done = new Int32Array(workerData.sab);
const results = workerData.results;
const isBadRow = (e) => {
  const code = e && e.code;
  if (typeof code === 'string') return code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG';
  return e instanceof TypeError || e instanceof RangeError || /can only bind/.test(String(e && e.message));
};
workerData.input.on('message', (msg) => {
  if (msg.type === 'rows') {
    try {
      insertAll(msg.opens, msg.rows);
    } catch (error) {
      const dropped = [];
      let failed = msg.rows;
      let failedOpens = msg.opens;
      if (isBadRow(error)) {
        failed = [];
        failedOpens = [];
        for (const o of msg.opens) {
          try { insertOpen.run(...o); } catch (e) { if (isBadRow(e)) dropped.push({ id: o[0], message: e.message }); else failedOpens.push(o); }
        }
        for (const r of msg.rows) {
          try { insert.run(...r); } catch (e) { if (isBadRow(e)) dropped.push({ id: r[0], message: e.message }); else failed.push(r); }
        }
      }
      results.postMessage({ dropped, failed, failedOpens, error: error.message });
    }
    Atomics.store(done, 0, msg.seq);
    Atomics.notify(done, 0);
  } else if (msg.type === 'close') {
    db.close();
    Atomics.store(done, 1, 1);
    Atomics.notify(done, 1);
    workerData.input.close();
  }
});
`;

export function startWriter(file: string, insertSql: string, busyMs: number, insertOpenSql: string): RowWriter {
  const sab = new SharedArrayBuffer(8);
  const done = new Int32Array(sab);
  const input = new MessageChannel();
  const results = new MessageChannel();
  const libsql = createRequire(import.meta.url).resolve('libsql');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, sql: insertSql, openSql: insertOpenSql, busyMs, sab, libsql, input: input.port2, results: results.port2 },
    transferList: [input.port2, results.port2] as unknown as MessagePort[],
    // The writer holds one batch at a time: a small young generation keeps its isolate's footprint to a
    // few MB (the default grows to tens of MB under load). The old-generation cap is far above need.
    resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 64 },
  });
  worker.unref(); // a CLI or test process may exit; close() finishes the writes first
  let posted = 0;
  let failure: Error | undefined;
  worker.on('error', (error) => (failure = error));

  const drain = (): WriteResult[] => {
    const out: WriteResult[] = [];
    for (let m = receiveMessageOnPort(results.port1); m; m = receiveMessageOnPort(results.port1)) {
      const result = m.message as Omit<WriteResult, 'failed'> & { failed: unknown[][] };
      out.push({ ...result, failed: result.failed.map(rowFromValues) });
    }
    return out;
  };

  return {
    post(rows, opens = []) {
      if (failure) throw failure;
      input.port1.postMessage({ type: 'rows', rows: rows.map(rowValues), opens, seq: ++posted });
    },
    sync(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (Atomics.load(done, 0) < posted) {
        if (failure) throw failure;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`the ledger writer did not finish within ${timeoutMs} ms`);
        Atomics.wait(done, 0, Atomics.load(done, 0), Math.min(left, 100));
      }
      return drain();
    },
    drain,
    close() {
      if (!failure) {
        input.port1.postMessage({ type: 'close' });
        Atomics.wait(done, 1, 0, 10_000);
      }
      input.port1.close();
      results.port1.close();
      void worker.terminate();
    },
  };
}
