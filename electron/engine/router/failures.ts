// Failure classes (DESIGN.md §4): which upstream failures move to the next target and which are the
// caller's fault and go straight back.
import type { AttemptRecord } from '../ledger/types';

export type FailureClass =
  | 'network'
  | 'timeout'
  | 'rate-limited'
  | 'overloaded'
  | 'server'
  | 'auth'
  | 'bad-request'
  | 'not-found'
  | 'unsupported'
  | 'no-key'
  | 'malformed';

export function classifyStatus(status: number): FailureClass {
  if (status === 429) return 'rate-limited';
  if (status === 503 || status === 529) return 'overloaded';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 401 || status === 402 || status === 403) return 'auth';
  if (status === 404) return 'not-found';
  if (status === 409 || status >= 500) return 'server';
  return 'bad-request';
}

/** Classes after which the next target is tried; the rest are returned to the caller as they are. */
const FAILOVER: ReadonlySet<FailureClass> = new Set([
  'network', 'timeout', 'rate-limited', 'overloaded', 'server', 'auth', 'unsupported', 'no-key', 'malformed',
]);

export const shouldFailover = (c: FailureClass): boolean => FAILOVER.has(c);

/** A failed attempt at one target, before anything reached the client. */
export class AttemptError extends Error {
  constructor(
    readonly failureClass: FailureClass,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'AttemptError';
  }
}

/** Every target failed (or the caller was at fault): what the client is told. */
export class RoutingError extends Error {
  /** Attempts made before giving up, for the ledger. */
  attempts: AttemptRecord[] = [];

  constructor(
    readonly status: number,
    readonly type: 'invalid_request_error' | 'not_found_error' | 'rate_limit_error' | 'api_error' | 'authentication_error',
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'RoutingError';
  }
}

/** Maps the last attempt's failure to the status the client sees when no target could answer. */
export function finalError(last: AttemptError | undefined, attempts: number): RoutingError {
  if (!last) return new RoutingError(503, 'api_error', 'no target could be tried');
  const tried = attempts > 1 ? ` (after ${attempts} attempts)` : '';
  if (!shouldFailover(last.failureClass)) {
    const status = last.status ?? 400;
    const type = status === 404 ? 'not_found_error' : 'invalid_request_error';
    return new RoutingError(status, type, last.message);
  }
  if (last.failureClass === 'rate-limited') return new RoutingError(429, 'rate_limit_error', `${last.message}${tried}`);
  return new RoutingError(502, 'api_error', `${last.message}${tried}`);
}
