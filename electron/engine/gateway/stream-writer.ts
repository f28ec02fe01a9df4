// The one writer every streamed answer on the port goes through (SSE for OpenAI, Anthropic and the app
// bridge, NDJSON for Ollama). The first text goes out at once (the first token is what the client
// waits for); later text produced in the same turn of the event loop goes out in one write, and the
// last text of a finished answer goes out with its end. When the client reads slower than the upstream
// sends, the relay waits until the socket has drained — only while it actually needs draining — so a
// slow reader cannot make the port buffer without limit, and a drain that already happened is never
// waited for.
import type { ServerResponse } from 'node:http';

/** A client that has not drained its buffer for this long is cut off. */
export const DRAIN_TIMEOUT_MS = 60_000;

export class StreamWriter {
  private pending = '';
  /** A flush is due: at the next tick (the response's first text) or at the turn's end (an Immediate). */
  private flushing: NodeJS.Immediate | 'tick' | undefined;
  private held = false;
  private started = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly drainTimeoutMs = DRAIN_TIMEOUT_MS,
  ) {}

  private readonly flush = (): void => {
    this.flushing = undefined;
    if (this.held || this.pending === '' || this.res.destroyed) return;
    const text = this.pending;
    this.pending = '';
    this.started = true;
    this.res.write(text);
  };

  /**
   * Queues raw text (one or more complete events or lines). The response's first text (its headers and
   * first token) goes at the next tick, as soon as the relay's step is done. Later text waits for the
   * turn's end (setImmediate): the events of one upstream read go out together even when the relay
   * reaches them through promises, and those of the read that finishes the answer go with its end
   * (holdForEnd), not in a write of their own before it.
   */
  write(text: string): void {
    this.pending += text;
    if (this.flushing !== undefined || this.held) return;
    if (this.started) this.flushing = setImmediate(this.flush);
    else {
      this.flushing = 'tick';
      process.nextTick(this.flush);
    }
  }

  /**
   * The answer is complete and end() is coming (after its ledger row is on disk): what is queued, and
   * whatever is written from now on, goes out with the end in one write, instead of a write now and
   * the closing chunk on its own later. Only for a caller that will call end().
   */
  holdForEnd(): void {
    this.held = true;
    this.cancelFlush();
  }

  private cancelFlush(): void {
    // A next-tick flush cannot be cancelled: it finds the writer held and leaves the text to end().
    if (this.flushing === undefined || this.flushing === 'tick') return;
    clearImmediate(this.flushing);
    this.flushing = undefined;
  }

  /**
   * Undefined when the client has room; else a promise that resolves once it drains (or the response
   * closes) and rejects when the client reads nothing for the drain timeout. Read from the socket's
   * own state, so a drain that fired before the caller asked is never waited for.
   */
  ready(): Promise<void> | undefined {
    const res = this.res;
    if (!res.writableNeedDrain || res.destroyed) return undefined;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        finish();
        res.destroy(new Error('client stopped reading'));
        reject(new Error(`the client read nothing for ${this.drainTimeoutMs} ms`));
      }, this.drainTimeoutMs);
      const finish = () => {
        clearTimeout(timer);
        res.off('close', done);
        res.off('drain', done);
      };
      const done = () => {
        finish();
        resolve();
      };
      res.once('drain', done);
      res.once('close', done);
    });
  }

  /** Sends what is queued (and `tail`) and ends the response. */
  end(tail = ''): void {
    this.cancelFlush();
    const text = this.pending + tail;
    this.pending = '';
    if (this.res.destroyed) return;
    if (text) this.res.end(text);
    else this.res.end();
  }
}
