// The `fallback` strategy's loop, independent of wire protocol: try each target (with its first
// usable key) until one opens; record every attempt; stop early on the caller's own faults.
import type { AttemptRecord } from '../ledger/types';
import type { ResolvedKey, Vault } from '../vault/types';
import { AttemptError, finalError, shouldFailover } from './failures';
import type { Target } from './resolve';

export interface Attempt {
  target: Target;
  key: ResolvedKey;
  signal: AbortSignal;
}

export interface Served {
  target: Target;
  keyLabel: string;
  attempts: AttemptRecord[];
}

export interface FailoverInput {
  targets: Target[];
  vault: Vault;
  signal: AbortSignal;
  /** Runs once before the first attempt (budgets); throwing a RoutingError refuses the request unsent. */
  preflight?: () => void;
}

function asAttemptError(error: unknown, signal: AbortSignal): AttemptError {
  if (signal.aborted) throw error; // the client left: stop trying; the caller records "cancelled"
  if (error instanceof AttemptError) return error;
  const code = (error as { code?: string }).code ?? '';
  if (code.includes('TIMEOUT')) return new AttemptError('timeout', `upstream timed out (${code})`);
  return new AttemptError('network', `upstream unreachable: ${(error as Error).message}${code ? ` (${code})` : ''}`);
}

/**
 * Opens the first target that answers. `open` does the protocol work and throws AttemptError (or a
 * network error) when the target fails before anything reached the client.
 */
export async function runWithFailover<T extends object>(input: FailoverInput, open: (attempt: Attempt) => Promise<T>): Promise<T & Served> {
  input.preflight?.();
  const attempts: AttemptRecord[] = [];
  let last: AttemptError | undefined;
  for (const target of input.targets) {
    const started = performance.now();
    const record = (status: number | null, keyLabel?: string, error?: AttemptError) =>
      attempts.push({ provider: target.provider.id, model: target.model, keyLabel, status, errorClass: error?.failureClass, durationMs: performance.now() - started });
    const key = input.vault.keysFor(target.provider.id, target.provider.keys)[0];
    if (!key) {
      last = new AttemptError('no-key', `no key available for provider "${target.provider.id}" (set its environment variable or run \`switchboard key set ${target.provider.id}\`)`);
      record(null, undefined, last);
      continue;
    }
    try {
      const opened = await open({ target, key, signal: input.signal });
      record(200, key.label);
      return { ...opened, target, keyLabel: key.label, attempts };
    } catch (error) {
      last = asAttemptError(error, input.signal);
      record(last.status, key.label, last);
      if (!shouldFailover(last.failureClass)) break;
    }
  }
  const error = finalError(last, attempts.length);
  error.attempts = attempts;
  throw error;
}
