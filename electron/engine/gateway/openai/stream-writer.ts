// Writes SSE to a client the cheap way: events produced in the same tick go out in one write (one
// chunk, one syscall), and when the client reads slower than the upstream sends, the relay waits for
// it to drain (bounded), so a slow reader cannot make the port buffer without limit.
import type { ServerResponse } from 'node:http';

/** A client that has not drained its buffer for this long is cut off. */
const DRAIN_TIMEOUT_MS = 60_000;

export class SseWriter {
  private pending = '';
  private scheduled = false;
  private blocked = false;

  constructor(private readonly res: ServerResponse) {}

  private readonly flush = (): void => {
    this.scheduled = false;
    if (this.pending === '' || this.res.destroyed) return;
    const text = this.pending;
    this.pending = '';
    if (!this.res.write(text)) this.blocked = true;
  };

  /** Queues raw SSE text (one or more complete events) for this tick's write. */
  write(text: string): void {
    this.pending += text;
    if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(this.flush);
    }
  }

  /** Resolves once the client has room again (at once when it has); rejects when it stops reading. */
  ready(): Promise<void> | undefined {
    if (!this.blocked) return undefined;
    this.blocked = false;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.res.destroy(new Error('client stopped reading'));
        reject(new Error(`the client read nothing for ${DRAIN_TIMEOUT_MS} ms`));
      }, DRAIN_TIMEOUT_MS);
      const done = () => {
        clearTimeout(timer);
        this.res.off('close', done);
        this.res.off('drain', done);
        resolve();
      };
      this.res.once('drain', done);
      this.res.once('close', done);
    });
  }

  /** Sends what is queued (and `tail`) and ends the response. */
  end(tail = ''): void {
    const text = this.pending + tail;
    this.pending = '';
    if (text) this.res.end(text);
    else this.res.end();
  }
}
