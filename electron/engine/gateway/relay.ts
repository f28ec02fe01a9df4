// What every dialect's relay shares once the router has answered: a JSON answer with its length, the
// headers of an event stream, the loop that forwards upstream events through the StreamWriter, and the
// end of a stream that failed after its first token.
import type { ServerResponse } from 'node:http';
import type { RequestMeter } from '../accounting';
import type { CancelSignal } from '../cancel';
import type { TextTally } from '../canonical/text-tally';
import type { Usage } from '../canonical/usage';
import type { AttemptRecord } from '../ledger/types';
import type { Target } from '../router/resolve';
import type { StreamWriter } from './stream-writer';
import { isPollable } from '../pollable';

/** The headers of a streamed SSE answer (no proxy may buffer or cache it). One object for every request. */
export const EVENT_STREAM_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

/** Answers 200 with a JSON text already serialised; the content type names the dialect's charset spelling. */
export function sendJsonText(res: ServerResponse, text: string, contentType = 'application/json'): void {
  res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Answers 200 with `value` as JSON. */
export const sendJson = (res: ServerResponse, value: unknown, contentType = 'application/json'): void =>
  sendJsonText(res, JSON.stringify(value), contentType);

/**
 * Forwards the held-back head and then the rest of an upstream stream through `relay`, waiting only
 * while the client's socket needs draining. When the stream has ended, what is still queued waits for
 * the response's end: every caller ends `out` once the request's row is kept (RequestMeter.finish).
 */
export async function pumpStream<E>(
  served: { head: readonly E[]; rest: AsyncIterable<E> },
  out: StreamWriter,
  relay: (event: E) => void,
): Promise<void> {
  for (const event of served.head) relay(event);
  const rest = served.rest[Symbol.asyncIterator]();
  const poll = isPollable(rest) ? () => rest.poll() : () => undefined;
  for (;;) {
    // Events already read (most of one upstream read) go without a promise each; then wait for more.
    let event = poll();
    if (event === undefined) {
      const next = await rest.next();
      if (next.done) break;
      event = next.value;
    }
    try {
      relay(event);
      const wait = out.ready();
      if (wait) await wait;
    } catch (error) {
      // As `for await` does when its body throws: the stream is told to stop (closing the upstream), and
      // the body's error is the one that counts.
      await Promise.resolve(rest.return?.()).catch(() => undefined);
      throw error;
    }
  }
  out.holdForEnd();
}

/**
 * Records and ends a stream that failed after its first token: cancelled when the client left, else an
 * error the client reads in its dialect (`errorFrame` is the text that ends the stream), never a clean end.
 * The tokens so far are as reported, else counted by the ledger (the prompt from the body, the text streamed).
 */
export function endFailedStream(
  res: ServerResponse,
  meter: RequestMeter,
  signal: CancelSignal,
  out: StreamWriter,
  outcome: { target: Target; attempts: AttemptRecord[] },
  usage: Usage | null | undefined,
  output: TextTally,
  error: unknown,
  errorFrame: (message: string) => string | undefined,
): void {
  if (signal.aborted || res.destroyed) {
    meter.finish({ status: 'cancelled', httpStatus: 499, ...outcome, usage, output });
    return;
  }
  const message = `upstream ${outcome.target.provider.id} failed mid-stream: ${(error as Error).message}`;
  meter.finish({ status: 'error', httpStatus: 502, ...outcome, usage, output, errorMessage: message }, () => out.end(errorFrame(message)));
}
