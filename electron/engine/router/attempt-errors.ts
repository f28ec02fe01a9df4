// Decides whose fault a failed attempt was, from whatever the attempt threw: the upstream's (a
// transport failure, a timeout, malformed data, an error answer: these move health and fail over),
// the client's request that our code could not process (a 400), or our own code (a 500). Only the
// upstream's own behaviour may count against a target, or one client could take it down for all.
import type { CancelSignal } from '../cancel';
import { errors as undiciErrors } from 'undici';
import { UpstreamStreamError } from '../canonical/errors';
import { AttemptError, ClientRequestError } from './failures';

/** Node's errno codes for a connection or name lookup that failed: the network, not our code. */
const ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENETRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EPROTO',
]);
/** Code families of transport errors: undici, TLS, sockets, the HTTP parser reading the upstream's answer. */
const PREFIXES = ['UND_ERR_', 'ERR_TLS_', 'ERR_SSL_', 'ERR_SOCKET_', 'HPE_', 'CERT_', 'UNABLE_TO_'];
/** Certificate problems OpenSSL reports under their own names. */
const TLS_CODES = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'ERR_STREAM_PREMATURE_CLOSE']);

/** The error's code when it is a real transport failure (undici, socket, DNS, TLS), else undefined. */
export function transportCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  return ERRNO.has(code) || TLS_CODES.has(code) || PREFIXES.some((p) => code.startsWith(p)) ? code : undefined;
}

/**
 * Where the attempt was when it threw. While opening, our code is still translating the client's
 * request (and reading the first token); once streaming, it only reads what the upstream sends.
 */
export type AttemptPhase = 'open' | 'stream';

export function asAttemptError(
  error: unknown,
  attemptSignal: CancelSignal,
  clientSignal: CancelSignal,
  timeoutMessage: string,
  phase: AttemptPhase = 'open',
): AttemptError {
  if (clientSignal.aborted) return new AttemptError('cancelled', 'the client closed the request');
  if (error instanceof AttemptError) {
    // An adapter may mark a context-length 400 only in a finer class of its own; the router acts on it.
    if (error.failureClass !== 'context-length' && (error as { errorClass?: unknown }).errorClass === 'context-length') {
      return new AttemptError('context-length', error.message, error.status, error.retryAfterMs);
    }
    return error;
  }
  if (attemptSignal.aborted) return new AttemptError('timeout', timeoutMessage);
  if (error instanceof ClientRequestError) return new AttemptError('client-request', error.message);
  // undici's parser error for an answer cut mid-body (a reset inside a chunked stream) carries no code.
  if (error instanceof undiciErrors.HTTPParserError && transportCode(error) === undefined) {
    return new AttemptError('network', `upstream connection broke: ${error.message}`);
  }
  const code = transportCode(error);
  if (code) {
    if (code.includes('TIMEOUT')) return new AttemptError('timeout', `upstream timed out (${code})`);
    return new AttemptError('network', `upstream unreachable: ${(error as Error).message} (${code})`);
  }
  // An error event in the upstream's stream (openers turn those before the first token into AttemptErrors).
  if (error instanceof UpstreamStreamError) return new AttemptError('server', error.message, 200);
  // Our translators parse the client's JSON defensively; a parse error left is the upstream's data.
  if (error instanceof SyntaxError) return new AttemptError('malformed', `upstream sent malformed data: ${error.message}`, 200);
  // Recursion too deep or a string too long, while the client's request is being processed: its size
  // or nesting is what our code could not handle.
  if (error instanceof RangeError && phase === 'open')
    return new AttemptError('client-request', `the request could not be processed (too large or too deeply nested): ${error.message}`);
  // The stream reader reports an upstream stream that closed before its end as a bare Error: once
  // streaming, that is the upstream's doing. Anything else (a TypeError, a bare Error while opening) is ours.
  if (phase === 'stream' && error instanceof Error && Object.getPrototypeOf(error) === Error.prototype) {
    return new AttemptError('network', `upstream stream failed: ${error.message}`);
  }
  return new AttemptError('internal', `internal error: ${(error as Error | null)?.message ?? String(error)}`);
}

/** Failure classes that are not the upstream's doing: no health change at all, not even history. */
export const notTheUpstream = (c: AttemptError['failureClass']): boolean => c === 'client-request' || c === 'internal' || c === 'cancelled';
