// Typed errors for upstream streams that cannot be trusted as they are: one that closed cleanly
// without its protocol's terminal event (a truncated answer must never pass for a complete one), and
// one that sent an event that is not JSON. Both are the upstream's fault ('malformed'): before the
// first token the router fails over; after it the client gets its dialect's error event.
import { AttemptError } from '../router/failures';

export class StreamTruncatedError extends AttemptError {
  constructor(
    readonly protocol: string,
    terminal: string,
  ) {
    super('malformed', `the upstream ${protocol} stream ended without ${terminal}: the answer is incomplete`, 200);
    this.name = 'StreamTruncatedError';
  }
}

export class MalformedStreamError extends AttemptError {
  constructor(readonly protocol: string) {
    // The event itself stays out of the message: it may be huge, or carry what should not be logged.
    super('malformed', `the upstream ${protocol} stream sent an event that is not JSON`, 200);
    this.name = 'MalformedStreamError';
  }
}
