// Counts the tokens of estimated ledger rows (a prompt, a streamed answer) with the BPE tokenizer in a
// worker thread of its own, started on first use: counting a large text takes tens of milliseconds
// and loads ~70 MB of tables, neither of which may touch the event loop that serves the port.
import { AsyncResource } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { TextSample } from '../canonical/text-tally';

/** Texts whose tokens add up to one figure, plus tokens known without counting. */
export interface TextGroup extends TextSample {
  fixedTokens?: number;
}

export type EstimateDone = (counts: number[]) => void;

/** A job unanswered this long gets the rough figure instead (a stuck or dead worker never loses a row). */
const JOB_TIMEOUT_MS = 15_000;

/** Characters counted exactly per group; the rest is scaled at the rate of those. */
const EXACT_CHARS = 256 * 1024;
/** Windows the text is counted in, and the longest piece a run without whitespace is counted in. */
const WINDOW_CHARS = 4096;
const RUN_CHARS = 128;

// Plain JS run by the worker (eval'd, so no separate build artifact is needed).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
let tokenizer;
const count = (t) => (tokenizer ??= require(workerData.tokenizer)).countTokens(t);
// BPE time grows with the square of a word's length: text is counted in windows cut at whitespace,
// and a run without any (a hostile 10 MB of one letter) in short pieces.
const WINDOW = ${WINDOW_CHARS}, RUN = ${RUN_CHARS}, EXACT = ${EXACT_CHARS};
const isSpace = (c) => c === 32 || c === 10 || c === 9 || c === 13;
function countText(text) {
  let n = 0;
  for (let i = 0; i < text.length;) {
    let end = Math.min(text.length, i + WINDOW);
    if (end < text.length) {
      let j = end;
      while (j > i + WINDOW / 2 && !isSpace(text.charCodeAt(j))) j--;
      if (j > i + WINDOW / 2) end = j;
    }
    n += countWindow(text.slice(i, end));
    i = end;
  }
  return n;
}
function countWindow(w) {
  const long = new RegExp('\\\\S{' + RUN + ',}', 'g');
  let n = 0, last = 0, m;
  while ((m = long.exec(w)) !== null) {
    if (m.index > last) n += count(w.slice(last, m.index));
    for (let k = 0; k < m[0].length; k += RUN) n += count(m[0].slice(k, k + RUN));
    last = m.index + m[0].length;
  }
  return last < w.length ? n + count(w.slice(last)) : n;
}
function countGroup(g) {
  let n = 0, chars = 0, extra = g.extraChars;
  for (const t of g.texts) {
    const room = EXACT - chars;
    if (room <= 0) { extra += t.length; continue; }
    const piece = t.length > room ? t.slice(0, room) : t;
    extra += t.length - piece.length;
    chars += piece.length;
    n += countText(piece);
  }
  // Beyond what was counted, tokens are taken at the rate of what was.
  if (extra > 0) n = chars > 0 ? Math.round(n * (chars + extra) / chars) : Math.ceil(extra / 4);
  return n + (g.fixedTokens || 0);
}
const done = new Int32Array(workerData.sab);
workerData.input.on('message', (msg) => {
  let counts = null, error;
  try { counts = msg.groups.map(countGroup); } catch (e) { error = String(e && e.message); }
  workerData.results.postMessage({ seq: msg.seq, counts, error });
  Atomics.store(done, 0, msg.seq);
  Atomics.notify(done, 0);
});
`;

/** Without the tokenizer: about four characters a token (used only when the worker cannot answer). */
export function roughCount(g: TextGroup): number {
  let chars = g.extraChars;
  for (const t of g.texts) chars += t.length;
  return Math.ceil(chars / 4) + (g.fixedTokens ?? 0);
}

interface Job {
  groups: TextGroup[];
  done: EstimateDone;
  postedAt: number;
}

function settle(job: Job, counts: number[]): void {
  try {
    job.done(counts);
  } catch (error) {
    // A callback's failure is its own (the ledger reports write errors itself); the other jobs go on.
    console.error(`switchboard ledger: an estimate could not be applied: ${(error as Error).message}`);
  }
}

/** One worker for the process (the tables are large); jobs answer through their callbacks. */
class Estimator {
  private worker?: Worker;
  private input?: MessagePort;
  private results?: MessagePort;
  private done?: Int32Array;
  private seq = 0;
  private readonly jobs = new Map<number, Job>();
  private watchdog?: NodeJS.Timeout;

  get pending(): number {
    return this.jobs.size;
  }

  count(groups: TextGroup[], done: EstimateDone): void {
    const seq = ++this.seq;
    // The answer comes from the worker's port: the callback runs in its caller's async context (request logs read it).
    this.jobs.set(seq, { groups, done: AsyncResource.bind(done), postedAt: Date.now() });
    try {
      this.start().postMessage({ seq, groups });
    } catch {
      this.fail(seq);
      return;
    }
    this.watchdog ??= setTimeout(() => this.expire(), JOB_TIMEOUT_MS).unref();
  }

  /** Waits (bounded) until every job posted so far is answered, calling their callbacks. */
  sync(timeoutMs = 10_000): void {
    const deadline = Date.now() + timeoutMs;
    const target = this.seq;
    while (this.jobs.size > 0 && this.done && Atomics.load(this.done, 0) < target) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      Atomics.wait(this.done, 0, Atomics.load(this.done, 0), Math.min(left, 100));
    }
    this.drain();
    // Whatever is still unanswered gets the rough figure now rather than hold up its row.
    for (const seq of [...this.jobs.keys()]) if (seq <= target) this.fail(seq);
  }

  private start(): MessagePort {
    if (this.input) return this.input;
    const sab = new SharedArrayBuffer(4);
    const input = new MessageChannel();
    const results = new MessageChannel();
    const tokenizer = createRequire(import.meta.url).resolve('gpt-tokenizer');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { tokenizer, sab, input: input.port2, results: results.port2 },
      transferList: [input.port2, results.port2] as unknown as MessagePort[],
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    worker.unref(); // never keeps a process alive; an unanswered job falls back to the rough figure
    const reset = () => {
      if (this.worker !== worker) return;
      this.worker = this.input = this.results = this.done = undefined;
      for (const seq of [...this.jobs.keys()]) this.fail(seq);
    };
    worker.on('error', reset);
    worker.on('exit', reset);
    results.port1.on('message', (m: { seq: number; counts: number[] | null }) => this.answer(m));
    results.port1.unref();
    this.worker = worker;
    this.input = input.port1;
    this.results = results.port1;
    this.done = new Int32Array(sab);
    return input.port1;
  }

  private drain(): void {
    if (!this.results) return;
    for (let m = receiveMessageOnPort(this.results); m; m = receiveMessageOnPort(this.results)) this.answer(m.message as { seq: number; counts: number[] | null });
  }

  private answer(m: { seq: number; counts: number[] | null }): void {
    const job = this.jobs.get(m.seq);
    if (!job) return; // already answered roughly (timed out)
    if (!m.counts) return this.fail(m.seq);
    this.jobs.delete(m.seq);
    settle(job, m.counts);
  }

  private fail(seq: number): void {
    const job = this.jobs.get(seq);
    if (!job) return;
    this.jobs.delete(seq);
    settle(job, job.groups.map(roughCount));
  }

  private expire(): void {
    this.watchdog = undefined;
    const now = Date.now();
    for (const [seq, job] of [...this.jobs]) if (now - job.postedAt >= JOB_TIMEOUT_MS) this.fail(seq);
    if (this.jobs.size > 0) this.watchdog = setTimeout(() => this.expire(), JOB_TIMEOUT_MS).unref();
  }
}

export const estimator = new Estimator();
