// Upstream errors normalised to classes, whatever the provider's error body looks like; the router
// acts on its FailureClass, clients and the ledger see the finer ErrorClass and the message.
import { redactKeys } from '../providers/redact';
import { saysContextLength } from './context-length';
import type { FailureClass } from '../router/failures';
import { classifyStatus } from '../router/failures';

export type ErrorClass =
  | 'auth'
  | 'rate-limited'
  | 'overloaded'
  | 'context-length'
  | 'content-filter'
  | 'bad-request'
  | 'not-found'
  | 'server'
  | 'network'
  | 'timeout';

const FILTER = /content[_ ]filter|content management policy|responsible ai|safety/i;

export interface ClassifiedError {
  failureClass: FailureClass;
  errorClass: ErrorClass;
}

/** Gemini answers a bad key with 400 INVALID_ARGUMENT ("API key not valid"), not 401. */
const BAD_KEY = /api key not valid|API_KEY_INVALID|invalid api key/i;

export function classifyUpstreamError(status: number, message: string): ClassifiedError {
  if (status === 400 && BAD_KEY.test(message)) return { failureClass: 'auth', errorClass: 'auth' };
  const failureClass = classifyStatus(status);
  let errorClass: ErrorClass;
  if (status === 400 || status === 413 || status === 422)
    errorClass = saysContextLength(message) ? 'context-length' : FILTER.test(message) ? 'content-filter' : 'bad-request';
  else if (
    failureClass === 'rate-limited' ||
    failureClass === 'overloaded' ||
    failureClass === 'auth' ||
    failureClass === 'not-found' ||
    failureClass === 'server' ||
    failureClass === 'timeout'
  )
    errorClass = failureClass;
  else errorClass = 'bad-request';
  return { failureClass, errorClass };
}

/**
 * An error event inside an upstream stream. Key-shaped strings are out of its message from the start;
 * the provider layer, which knows the attempt's own key, takes that out too before the error leaves it.
 */
export class UpstreamStreamError extends Error {
  constructor(detail: string) {
    super(`upstream stream error: ${redactKeys(detail)}`);
    this.name = 'UpstreamStreamError';
  }
}
