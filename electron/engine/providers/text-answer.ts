// An upstream answer read whole, as text, straight from undici's dispatch callbacks: the JSON answers
// on the port's hot path are read to the end before anything is done with them, so undici's `request()`
// (an async resource, a Readable body and its consumer per response) costs ~6 µs per request for nothing.
import type { Dispatcher } from 'undici';
import type { CancelSignal } from '../cancel';

/** A whole answer: its status, its headers (lower-cased names, as undici's `request()` gives them) and its body. */
export interface UpstreamText {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** The body's UTF-8 text without a leading byte-order mark, as undici's `body.text()` decodes it. */
function decode(chunks: Buffer[]): string {
  if (chunks.length === 0) return '';
  const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  const bom = body.length > 2 && body[0] === UTF8_BOM[0] && body[1] === UTF8_BOM[1] && body[2] === UTF8_BOM[2];
  return body.toString('utf8', bom ? 3 : 0);
}

/**
 * Collects one answer and settles once: with the text at its end, or with the error undici reports (a
 * cancellation rejects with the signal's reason, as `request()` does). Informational (1xx) heads are skipped.
 */
class TextAnswerHandler implements Dispatcher.DispatchHandler {
  #status = 0;
  #headers: UpstreamText['headers'] = {};
  #chunks: Buffer[] = [];
  #controller: Dispatcher.DispatchController | undefined;
  readonly #onAbort: (() => void) | undefined;

  constructor(
    private readonly resolve: (answer: UpstreamText) => void,
    private readonly reject: (error: unknown) => void,
    private readonly signal: CancelSignal | undefined,
  ) {
    if (!signal || signal.aborted) return; // an aborted signal is seen when the request starts
    // Before the start there is no controller yet: the start then sees the signal aborted.
    this.#onAbort = () => this.#controller?.abort(signal.reason as Error);
    signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    // Cancelled before, or while it waited for a connection: never sent.
    if (this.signal?.aborted) controller.abort(this.signal.reason as Error);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, status: number, headers: UpstreamText['headers']): void {
    if (status < 200) return;
    this.#status = status;
    this.#headers = headers;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.#release();
    let text: string;
    try {
      text = decode(this.#chunks);
    } catch (error) {
      this.reject(error);
      return;
    }
    this.resolve({ status: this.#status, headers: this.#headers, text });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#release();
    this.reject(error);
  }

  #release(): void {
    if (this.#onAbort) this.signal?.removeEventListener('abort', this.#onAbort);
  }
}

/** Sends `options` through `dispatcher` and resolves with the whole answer as text. */
export function dispatchForText(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal: CancelSignal | undefined,
): Promise<UpstreamText> {
  return new Promise((resolve, reject) => {
    dispatcher.dispatch(options, new TextAnswerHandler(resolve, reject, signal));
  });
}
