// The one writer every streamed answer on the port goes through (SSE for OpenAI, Anthropic and the app
// bridge, NDJSON for Ollama). Text produced in the same tick goes out in one write (one chunk, one
// syscall); when the client reads slower than the upstream sends, the relay waits until the socket has
// drained — only while it actually needs draining — so a slow reader cannot make the port buffer
// without limit, and a drain that already happened is never waited for.
import type { ServerResponse } from 'node:http';

/** A client that has not drained its buffer for this long is cut off. */
export const DRAIN_TIMEOUT_MS = 60_000;

export class StreamWriter {
  private pending = '';
  private scheduled = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly drainTimeoutMs = DRAIN_TIMEOUT_MS,
  ) {}

  private readonly flush = (): void => {
    this.scheduled = false;
    if (this.pending === '' || this.res.destroyed) return;
    const text = this.pending;
    this.pending = '';
    this.res.write(text);
  };

  /** Queues raw text (one or more complete events or lines) for this tick's write. */
  write(text: string): void {
    this.pending += text;
    if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(this.flush);
    }
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
    const text = this.pending + tail;
    this.pending = '';
    if (this.res.destroyed) return;
    if (text) this.res.end(text);
    else this.res.end();
  }
}
