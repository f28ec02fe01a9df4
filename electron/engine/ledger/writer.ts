// The ledger's writer thread, seen from the engine: batches of rows (and journal entries of requests in
// flight) go to a worker with its own SQLite connection (writer.worker.ts), so a commit (and the rollup
// trigger) never holds up the event loop that serves the port. Nothing here waits on that thread
// synchronously: a reader awaits `settled()`.
import { Worker } from 'node:worker_threads';
import { workerScript } from '../worker-file';
import { rowFromValues, type RequestRow } from './rows';

/** What the worker is started with. */
export interface WriterData {
  file: string;
  insertSql: string;
  insertOpenSql: string;
  busyMs: number;
}

/** A batch that could not be written whole. */
export interface BatchFailure {
  /** Rows and entries that can never be written (bad values), with why. */
  dropped: Array<{ id: string; message: string }>;
  /** Rows (as values) that failed for a reason that may pass (busy, disk full), to retry. */
  failed: unknown[][];
  /** Journal entries (as values) that failed the same way. */
  failedOpens: unknown[][];
  error: string;
}

/**
 * A batch: `rows` are the rows' row-log lines (row-log.ts rowLine: each row's values as JSON), parsed on
 * the thread. Strings cross as plain copies, where a structured clone of arrays of values costs
 * microseconds per row on both sides; and separate lines, unlike one joined text (a large object, in the
 * old generation from birth), die young on the engine's side.
 */
export type WriterRequest =
  | { type: 'batch'; seq: number; rows: readonly string[]; opens: unknown[][] }
  /**
   * Rows sent ahead of their batch (ledger.ts FEED_DELAY_MS), their lines joined by newlines as UTF-8:
   * the thread holds them until the next batch, and an ArrayBuffer lies outside its heap, where strings
   * would be copied by each of its young generation's collections (it is small, see resourceLimits).
   * Moved, not copied (a transfer). The joined text is ~20 ms of rows (tens of KB at the port's peak,
   * under the large-object size), gone once encoded.
   */
  | { type: 'rows'; bytes: Uint8Array }
  | { type: 'close' };
export type WriterReply = { type: 'written'; seq: number; failure?: BatchFailure } | { type: 'closed' };

/** A failed batch, its rows back in their engine shape. */
export interface WriteResult {
  dropped: BatchFailure['dropped'];
  failed: RequestRow[];
  failedOpens: unknown[][];
  error: string;
}

export interface RowWriter {
  /** Hands a batch (rows as their rowLine texts) to the writer thread; returns at once. Journal entries are inserted before the rows. */
  post(lines: readonly string[], opens?: unknown[][]): void;
  /** Sends rows ahead, to be written with the next batch posted; false (and nothing sent) once the thread has failed. */
  feed(lines: readonly string[]): boolean;
  /** True while a posted batch is not yet answered. */
  readonly busy: boolean;
  /** Resolves once every batch posted so far is committed (or failed, and reported to `onFailure`). */
  settled(timeoutMs?: number): Promise<void>;
  /** Writes what was posted, then closes the thread's connection. */
  close(timeoutMs?: number): Promise<void>;
}

/** The writer thread stopped answering, or died. */
export class LedgerWriterError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LedgerWriterError';
  }
}

interface Waiter {
  seq: number;
  resolve(): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export interface WriterOptions extends WriterData {
  /** Told of each batch that failed, as its answer arrives (before any waiter of that batch resumes). */
  onFailure(result: WriteResult): void;
  /** Told of each batch answered (committed, or failed and already reported to onFailure), by its number from 1. */
  onWritten?(seq: number): void;
  /** Told each time every posted batch has been answered. */
  onIdle?(): void;
}

const utf8 = new TextEncoder();

export function startWriter(options: WriterOptions): RowWriter {
  const { onFailure, onWritten, onIdle, ...data } = options;
  const worker = new Worker(workerScript('ledger-writer'), {
    workerData: data satisfies WriterData,
    // The writer holds one batch at a time: a small young generation keeps its isolate's footprint to a
    // few MB (the default grows to tens of MB under load). The old-generation cap is far above need.
    resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 64 },
  });
  // A CLI or test process may exit while the thread idles; it is kept alive only while someone waits.
  worker.unref();
  let posted = 0;
  let answered = 0;
  let failure: Error | undefined;
  let waiters: Waiter[] = [];
  let onClosed: (() => void) | undefined;

  const wake = () => {
    const ready = waiters.filter((w) => w.seq <= answered || failure);
    if (ready.length === 0) return;
    waiters = waiters.filter((w) => !ready.includes(w));
    if (waiters.length === 0) worker.unref();
    for (const w of ready) {
      clearTimeout(w.timer);
      if (failure) w.reject(failure);
      else w.resolve();
    }
  };

  worker.on('message', (reply: WriterReply) => {
    if (reply.type === 'closed') return onClosed?.();
    answered = reply.seq;
    if (reply.failure) {
      const { failed, ...rest } = reply.failure;
      onFailure({ ...rest, failed: failed.map(rowFromValues) });
    }
    onWritten?.(reply.seq);
    if (answered === posted) onIdle?.();
    wake();
  });
  worker.on('error', (error) => {
    failure = new LedgerWriterError(`the ledger writer failed: ${error.message}`, { cause: error });
    wake();
  });
  worker.on('exit', () => {
    failure ??= new LedgerWriterError('the ledger writer stopped');
    wake();
    onClosed?.();
  });

  return {
    post(lines, opens = []) {
      if (failure) throw failure;
      worker.postMessage({ type: 'batch', seq: ++posted, rows: lines, opens } satisfies WriterRequest);
    },
    feed(lines) {
      if (failure) return false;
      if (lines.length === 0) return true;
      // A fresh ArrayBuffer of its own (not node's Buffer pool), so it can be transferred.
      const bytes = utf8.encode(lines.join('\n'));
      worker.postMessage({ type: 'rows', bytes } satisfies WriterRequest, [bytes.buffer]);
      return true;
    },
    get busy() {
      return answered < posted && !failure;
    },
    settled(timeoutMs = 10_000) {
      if (failure) return Promise.reject(failure);
      if (answered >= posted) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          seq: posted,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters = waiters.filter((w) => w !== waiter);
            if (waiters.length === 0) worker.unref();
            reject(new LedgerWriterError(`the ledger writer did not finish within ${timeoutMs} ms`));
          }, timeoutMs),
        };
        waiters.push(waiter);
        worker.ref();
      });
    },
    async close(timeoutMs = 10_000) {
      if (!failure) {
        worker.ref();
        const closed = new Promise<void>((resolve) => (onClosed = resolve));
        worker.postMessage({ type: 'close' } satisfies WriterRequest);
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
        clearTimeout(timer);
      }
      await worker.terminate();
    },
  };
}
