// Holds an upstream SSE stream back until its first token: until then a failure (a cut, malformed
// data, an error event) can still fail over to the next target, because the client has seen nothing.
import type { Readable } from 'node:stream';
import { AttemptError } from '../router/failures';
import { streamFailure } from './open-canonical';
import { sseScrubber } from './redact';
import { readSse, type SseEvent, type SseWatch } from './sse';

export interface HeldStream {
  /** Events read while waiting for the first token; send these first. */
  head: SseEvent[];
  /** The rest of the upstream stream. */
  rest: AsyncIterableIterator<SseEvent>;
}

/**
 * `isFirst` may throw (a parse error, an upstream error event): that counts as a pre-token failure.
 * `secret` is the attempt's key: these events go on to the client as they are, so an error event is
 * redacted of it (and of anything key-shaped) as it is read, and so is every error thrown here.
 * `watch` checks every event, before and after the first token, and knows the protocol's terminal event.
 */
export async function holdUntilFirstToken(
  body: Readable,
  isFirst: (event: SseEvent) => boolean,
  secret: string,
  watch?: SseWatch,
): Promise<HeldStream> {
  const rest = readSse(body, sseScrubber(secret), watch);
  const head: SseEvent[] = [];
  try {
    for (;;) {
      // Events already read go without a promise each (one upstream read usually holds several).
      let event = rest.poll();
      if (event === undefined) {
        const next = await rest.next();
        if (next.done) throw new AttemptError('malformed', 'upstream stream ended before the first token', 200);
        event = next.value;
      }
      const first = isFirst(event);
      head.push(event);
      if (first) return { head, rest };
    }
  } catch (error) {
    body.destroy();
    throw streamFailure(error, secret);
  }
}
