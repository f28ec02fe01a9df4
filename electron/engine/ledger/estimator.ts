// Counts the tokens of estimated ledger rows (a prompt, a streamed answer) with the BPE tokenizer in a
// worker thread of its own (estimator.worker.ts), started on first use: counting a large text takes
// tens of milliseconds and loads ~70 MB of tables, neither of which may touch the event loop that
// serves the port. Nothing here waits on that thread synchronously: a reader awaits `settled()`.
import { AsyncResource } from 'node:async_hooks';
import { Worker } from 'node:worker_threads';
import type { TextSample } from '../canonical/text-tally';
import { workerScript } from '../worker-file';

/** Texts whose tokens add up to one figure, plus tokens known without counting. */
export interface TextGroup extends TextSample {
  fixedTokens?: number;
}

export type EstimateDone = (counts: number[]) => void;

/** One job for the worker, and its answer (null counts: it could not count them). */
export interface EstimateJob {
  seq: number;
  groups: TextGroup[];
}
export interface EstimateReply {
  seq: number;
  counts: number[] | null;
  error?: string;
}

/** A job unanswered this long gets the rough figure instead (a stuck or dead worker never loses a row). */
const JOB_TIMEOUT_MS = 15_000;

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
  private seq = 0;
  private readonly jobs = new Map<number, Job>();
  private waiters: Array<{ upTo: number; done(): void }> = [];
  private watchdog?: NodeJS.Timeout;

  get pending(): number {
    return this.jobs.size;
  }

  count(groups: TextGroup[], done: EstimateDone): void {
    const seq = ++this.seq;
    // The answer comes from the worker's port: the callback runs in its caller's async context (request logs read it).
    this.jobs.set(seq, { groups, done: AsyncResource.bind(done), postedAt: Date.now() });
    try {
      this.start().postMessage({ seq, groups } satisfies EstimateJob);
    } catch {
      this.fail(seq);
      return;
    }
    this.watchdog ??= setTimeout(() => this.expire(), JOB_TIMEOUT_MS).unref();
  }

  /**
   * Resolves once every job posted so far is answered (their callbacks called); what is still
   * unanswered after `timeoutMs` gets the rough figure then, rather than hold up its row.
   */
  settled(timeoutMs = 10_000): Promise<void> {
    const upTo = this.seq;
    if (this.answeredUpTo(upTo)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        for (const seq of [...this.jobs.keys()]) if (seq <= upTo) this.fail(seq);
      }, timeoutMs);
      this.waiters.push({ upTo, done: () => (clearTimeout(timer), resolve()) });
      // A process with nothing else to do stays up for the answers it waits for.
      this.worker?.ref();
    });
  }

  /** Jobs are kept in posting order: the first one left is the oldest unanswered. */
  private answeredUpTo(upTo: number): boolean {
    const oldest = this.jobs.keys().next();
    return oldest.done || oldest.value > upTo;
  }

  private wake(): void {
    const ready = this.waiters.filter((w) => this.answeredUpTo(w.upTo));
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    if (this.waiters.length === 0) this.worker?.unref();
    for (const w of ready) w.done();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerScript('ledger-estimator'), { resourceLimits: { maxOldGenerationSizeMb: 256 } });
    if (this.waiters.length === 0) worker.unref(); // never keeps a process alive; an unanswered job falls back to the rough figure
    const reset = () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const seq of [...this.jobs.keys()]) this.fail(seq);
    };
    worker.on('error', reset);
    worker.on('exit', reset);
    worker.on('message', (m: EstimateReply) => this.answer(m));
    this.worker = worker;
    return worker;
  }

  private answer(m: EstimateReply): void {
    const job = this.jobs.get(m.seq);
    if (!job) return; // already answered roughly (timed out)
    if (!m.counts) return this.fail(m.seq);
    this.jobs.delete(m.seq);
    settle(job, m.counts);
    this.wake();
  }

  private fail(seq: number): void {
    const job = this.jobs.get(seq);
    if (!job) return;
    this.jobs.delete(seq);
    settle(job, job.groups.map(roughCount));
    this.wake();
  }

  private expire(): void {
    this.watchdog = undefined;
    const now = Date.now();
    for (const [seq, job] of [...this.jobs]) if (now - job.postedAt >= JOB_TIMEOUT_MS) this.fail(seq);
    if (this.jobs.size > 0) this.watchdog = setTimeout(() => this.expire(), JOB_TIMEOUT_MS).unref();
  }
}

export const estimator = new Estimator();
