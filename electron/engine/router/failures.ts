// Failure classes (docs/architecture.md §4): which upstream failures move to the next target and
// which are the caller's fault and go straight back.
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
  | 'malformed'
  | 'context-length'
  | 'cancelled'
  /** Our code could not process the client's request (it never reached the upstream): the caller's fault. */
  | 'client-request'
  /** Our own code failed unexpectedly: neither the caller's fault nor the upstream's. */
  | 'internal';

export function classifyStatus(status: number): FailureClass {
  if (status === 429) return 'rate-limited';
  if (status === 503 || status === 529) return 'overloaded';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 401 || status === 402 || status === 403) return 'auth';
  if (status === 404) return 'not-found';
  if (status === 409 || status >= 500) return 'server';
  // The transport does not follow redirects (a key must not go where the user did not send it): a
  // redirected provider is one that failed to answer, whichever URL it points at.
  if (status >= 300 && status < 400) return 'server';
  return 'bad-request';
}

/** Classes after which the next target is tried; the rest are returned to the caller as they are. */
const FAILOVER: ReadonlySet<FailureClass> = new Set([
  'network',
  'timeout',
  'rate-limited',
  'overloaded',
  'server',
  'auth',
  'unsupported',
  'no-key',
  'malformed',
]);

export const shouldFailover = (c: FailureClass): boolean => FAILOVER.has(c);

/**
 * How far a rate limit reaches: one model on the key (the usual case: providers limit per model), or
 * the whole key, when the provider says the account itself is out (limit-scope.ts decides).
 */
export type LimitScope = 'model' | 'key';

/** A failed attempt at one target, before anything reached the client. */
export class AttemptError extends Error {
  /** For 'rate-limited': what the cooldown covers. */
  scope: LimitScope = 'model';

  constructor(
    readonly failureClass: FailureClass,
    message: string,
    readonly status: number | null = null,
    /** From Retry-After / retry-after-ms, when the upstream sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'AttemptError';
  }
}

/**
 * Our code could not process the client's request (a shape translation cannot handle, input too big
 * or too deep to walk): the client gets a 400 and no target is blamed or tried. Translation code
 * throws it; `path` names the offending field when known (`messages.2.content.0.id`).
 */
export class ClientRequestError extends Error {
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(path ? `${message} (at \`${path}\`)` : message);
    this.name = 'ClientRequestError';
  }
}

type Headers = Record<string, string | string[] | undefined>;
const header = (h: Headers, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** `retry-after-ms` (OpenAI, Azure) or `retry-after` (seconds or an HTTP date), in ms. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = Number(header(headers, 'retry-after-ms'));
  if (header(headers, 'retry-after-ms') !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  const ra = header(headers, 'retry-after');
  if (ra === undefined || ra === '') return undefined;
  const seconds = Number(ra);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const at = Date.parse(ra);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

// The context-length test sits in canonical/ so the error classes share it without importing the router.
export { isContextLengthError } from '../canonical/context-length';

/** Every target failed (or the caller was at fault): what the client is told. */
export class RoutingError extends Error {
  /** Attempts made before giving up, for the ledger. */
  attempts: AttemptRecord[] = [];

  constructor(
    readonly status: number,
    readonly type: 'invalid_request_error' | 'not_found_error' | 'rate_limit_error' | 'api_error' | 'authentication_error',
    message: string,
    readonly code: string | null = null,
    /** Seconds, for a Retry-After header on the client's answer (everything cooling down). */
    readonly retryAfterSec?: number,
  ) {
    super(message);
    this.name = 'RoutingError';
  }
}

/** Maps the last attempt's failure to the status the client sees when no target could answer. */
export function finalError(last: AttemptError | undefined, attempts: number): RoutingError {
  if (!last) return new RoutingError(503, 'api_error', 'no target could be tried');
  const tried = attempts > 1 ? ` (after ${attempts} attempts)` : '';
  if (last.failureClass === 'context-length')
    return new RoutingError(400, 'invalid_request_error', last.message, 'context_length_exceeded');
  if (last.failureClass === 'cancelled') return new RoutingError(499, 'api_error', 'the client closed the request', 'cancelled');
  if (last.failureClass === 'timeout') return new RoutingError(504, 'api_error', `${last.message}${tried}`, 'upstream_timeout');
  if (last.failureClass === 'client-request') return new RoutingError(400, 'invalid_request_error', last.message, 'invalid_request');
  if (last.failureClass === 'internal') return new RoutingError(500, 'api_error', last.message, 'internal_error');
  if (!shouldFailover(last.failureClass)) {
    const status = last.status ?? 400;
    const type = status === 404 ? 'not_found_error' : 'invalid_request_error';
    return new RoutingError(status, type, last.message);
  }
  if (last.failureClass === 'rate-limited') return new RoutingError(429, 'rate_limit_error', `${last.message}${tried}`);
  return new RoutingError(502, 'api_error', `${last.message}${tried}`);
}
