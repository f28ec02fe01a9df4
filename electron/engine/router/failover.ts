// The failover loop, independent of wire protocol: orders a route's targets by its strategy, skips
// open breakers and cooling or retired keys (re-probing a retired one after its backoff), rotates
// keys on 401/402/403/429, moves on before the first token, applies the route's timeouts, waits
// (bounded) only when nothing is healthy, and records every attempt for the ledger.
import { createHash } from 'node:crypto';
import type { AttemptRecord } from '../ledger/types';
import type { Transport } from '../providers/transport';
import type { ResolvedKey, Vault } from '../vault/types';
import { asAttemptError, notTheUpstream } from './attempt-errors';
import { AttemptError, finalError, RoutingError, shouldFailover } from './failures';
import { targetId, type RouterHealth } from './health';
import type { RoutePlan, Target } from './resolve';
import { conversationKey } from './sticky';
import { estimateTokens, orderTargets } from './strategy';
import { sleep, untilAborted } from './abort';
import { DEFAULT_TIMEOUTS, guardStream, type Timeouts } from './timeouts';

export interface Attempt {
  target: Target;
  key: ResolvedKey;
  signal: AbortSignal;
  /** The engine's transport: openers send through it (providers/transport.ts sendAttempt). */
  transport: Transport;
  /** The route's timeouts; an opener passes `connectMs` to the transport. */
  timeouts?: Timeouts;
}

export interface Served {
  target: Target;
  keyLabel: string;
  attempts: AttemptRecord[];
}

export interface FailoverInput {
  /** From RouteTable.resolve (or directPlan): the candidates, their strategy, timeouts and the health they share. */
  plan: RoutePlan;
  vault: Vault;
  /** What every attempt is sent through (one per engine, built by the composition root). */
  transport: Transport;
  signal: AbortSignal;
  /** The request body (for cost estimates and sticky routing). */
  body?: Record<string, unknown>;
  /** Streams get the first-token timeout and a guarded `rest`; other requests the total timeout. */
  stream?: boolean;
  /** Conversation scope for sticky routing (route name or model name, plus the client). */
  scope?: string;
  /** Runs once before the first attempt (budgets); throwing a RoutingError refuses the request unsent. */
  preflight?: () => void;
  /** Told as each attempt is sent (the ledger journals the request at the first, so a crash leaves a row). */
  onAttempt?: (target: Target) => void;
}

/** Waiting rounds when every candidate is cooling down or its breaker is open. */
const MAX_WAIT_ROUNDS = 2;
/** Longest single wait for a cooldown to end before the client gets a 503 instead. */
const MAX_WAIT_MS = 2_000;

const fingerprint = (secret: string) => () => createHash('sha256').update(secret).digest('base64url').slice(0, 16);

/**
 * Opens the first target that answers. `open` does the protocol work and throws AttemptError (or a
 * network error) when the target fails before anything reached the client. A result with a `rest`
 * stream gets it wrapped so idle and total timeouts, health and cleanup cover it too.
 */
export async function runWithFailover<T extends object>(input: FailoverInput, open: (attempt: Attempt) => Promise<T>): Promise<T & Served> {
  input.preflight?.();
  const { plan } = input;
  // A caller that did not say: an OpenAI-shaped body tells.
  if (input.stream === undefined && input.body?.stream === true) input = { ...input, stream: true };
  const { health } = plan;
  const timeouts = plan.timeouts ?? DEFAULT_TIMEOUTS;
  const started = performance.now();
  const deadline = started + timeouts.totalMs;
  const attempts: AttemptRecord[] = [];
  // Token estimates only matter to the cost and latency strategies.
  const needsTokens = [plan.strategy, ...plan.steps.map((s) => s.strategy)].some((s) => s === 'lowest-cost' || s === 'lowest-latency');
  const tokens = needsTokens ? estimateTokens(input.body) : { input: 0, output: 0 };
  const candidates = plan.steps.reduce((n, s) => n + s.members.length, 0);
  const stickyKey = plan.sticky && candidates > 1 ? conversationKey(input.scope ?? '', input.body) : null;
  const order = orderTargets(
    plan,
    { health, inputTokens: tokens.input, outputTokens: tokens.output, random: Math.random },
    stickyKey ? health.sticky.get(stickyKey) : undefined,
  );

  /** Targets that failed in this request without a cooldown that would end: not tried again. */
  const done = new Set<string>();
  let last: AttemptError | undefined;
  let contextLimit: number | undefined;
  let stop = false;
  let earliest = Infinity;

  for (let round = 0; round <= MAX_WAIT_ROUNDS && !stop; round++) {
    earliest = Infinity;
    for (const target of order) {
      if (stop) break;
      const id = targetId(target.provider.id, target.model);
      if (done.has(id)) continue;
      // After a context-length error only a target with a larger (known) window can help.
      if (contextLimit !== undefined && !((target.contextWindow ?? 0) > contextLimit)) continue;
      const availability = health.availability(id);
      if (!availability.ok) {
        earliest = Math.min(earliest, availability.until);
        continue;
      }
      let keys: ResolvedKey[];
      try {
        keys = input.vault.keysFor(target.provider.id, target.provider.keys);
      } catch (error) {
        keys = [];
        last = new AttemptError('no-key', (error as Error).message);
      }
      if (keys.length === 0) {
        last ??= new AttemptError(
          'no-key',
          `no key available for provider "${target.provider.id}" (set its environment variable or run \`switchboard key set ${target.provider.id}\`)`,
        );
        attempts.push({ provider: target.provider.id, model: target.model, status: null, errorClass: 'no-key', durationMs: 0 });
        done.add(id);
        continue;
      }
      let triedKey = false;
      let targetVerdict: 'next' | 'stop' | 'cooling' = 'next';
      for (const key of keys) {
        const keyId = `${target.provider.id}/${key.label}`;
        const secretPrint = fingerprint(key.secret);
        const keyState = health.keys.availability(keyId, target.model, secretPrint);
        if (!keyState.ok) {
          if (Number.isFinite(keyState.until)) earliest = Math.min(earliest, keyState.until);
          continue;
        }
        if (performance.now() >= deadline || input.signal.aborted) {
          stop = true;
          break;
        }
        triedKey = true;
        // A retired key past its backoff: this request is its one probe.
        if (keyState.probe) health.keys.probeStarted(keyId);
        const result = await attemptOnce(input, open, {
          target,
          key,
          id,
          keyId,
          probe: availability.probe,
          timeouts,
          deadline,
          health,
          attempts,
        });
        if ('served' in result) {
          if (stickyKey) health.sticky.set(stickyKey, id);
          return result.served;
        }
        last = result.error;
        const c = last.failureClass;
        if (c === 'auth') {
          health.retireKey(keyId, last.status, last.message, secretPrint(), keyState.probe);
          continue; // the next key of the same provider
        }
        if (keyState.probe) health.keys.probeEnded(keyId); // it said nothing about the key itself
        if (c === 'cancelled') {
          stop = true;
          break;
        }
        if (c === 'rate-limited') {
          earliest = Math.min(earliest, Date.now() + health.coolKey(keyId, target.model, last.retryAfterMs, last.scope));
          targetVerdict = 'cooling';
          continue;
        }
        if (c === 'context-length') {
          if (!plan.contextFallback) stop = true;
          contextLimit = Math.max(contextLimit ?? 0, target.contextWindow ?? 0);
        } else if (!shouldFailover(c)) {
          stop = true;
        } else if (c === 'overloaded' && last.retryAfterMs !== undefined) {
          earliest = Math.min(earliest, Date.now() + health.cap(last.retryAfterMs));
          targetVerdict = 'cooling';
        }
        break;
      }
      if (targetVerdict === 'next' && triedKey) done.add(id);
      if (plan.noFallbacks && triedKey) stop = true;
    }
    if (stop || input.signal.aborted || !Number.isFinite(earliest)) break;
    // Nothing could be used right now: wait (bounded) for the soonest cooldown rather than fail at once.
    const wait = earliest - Date.now();
    if (round === MAX_WAIT_ROUNDS || wait > MAX_WAIT_MS || performance.now() + wait >= deadline) {
      if (!last || attempts.length === 0) {
        const error = new RoutingError(
          503,
          'api_error',
          'every target of this route is cooling down or its breaker is open; try again shortly',
          'no_healthy_target',
          Math.max(1, Math.ceil(wait / 1000)),
        );
        error.attempts = attempts;
        throw error;
      }
      break;
    }
    await sleep(Math.max(0, wait) + 5, input.signal);
  }
  if (input.signal.aborted) last = new AttemptError('cancelled', 'the client closed the request');
  let error = finalError(last, attempts.length);
  // Tell the client when to come back if a cooldown (a rate limit, an overload) is why it failed.
  if (Number.isFinite(earliest) && (error.status === 429 || error.status === 502)) {
    error = new RoutingError(error.status, error.type, error.message, error.code, Math.max(1, Math.ceil((earliest - Date.now()) / 1000)));
  }
  error.attempts = attempts;
  throw error;
}

interface AttemptContext {
  target: Target;
  key: ResolvedKey;
  id: string;
  keyId: string;
  probe: boolean;
  timeouts: Timeouts;
  deadline: number;
  health: RouterHealth;
  attempts: AttemptRecord[];
}

async function attemptOnce<T extends object>(
  input: FailoverInput,
  open: (a: Attempt) => Promise<T>,
  a: AttemptContext,
): Promise<{ served: T & Served } | { error: AttemptError }> {
  const { target, key, id, health } = a;
  const t0 = performance.now();
  // One controller per attempt, aborted by the client's signal too. Linked by a listener rather than
  // AbortSignal.any, which costs several times more per request on Node 20.
  const controller = new AbortController();
  const signal = controller.signal;
  if (input.signal.aborted) controller.abort(input.signal.reason);
  else input.signal.addEventListener('abort', () => controller.abort(input.signal.reason), { once: true });
  const limit = Math.max(0, Math.min(input.stream ? a.timeouts.firstTokenMs : Infinity, a.deadline - t0));
  const timeoutMessage =
    input.stream && limit === a.timeouts.firstTokenMs ? `no first token within ${limit} ms` : 'the request ran past its total timeout';
  const timer = setTimeout(() => controller.abort(new AttemptError('timeout', timeoutMessage)), limit);
  const record: AttemptRecord = { provider: target.provider.id, model: target.model, keyLabel: key.label, status: null, durationMs: 0 };
  a.attempts.push(record);
  input.onAttempt?.(target);
  health.begin(id, a.probe);
  let opened: T;
  try {
    opened = await untilAborted(open({ target, key, signal, transport: input.transport, timeouts: a.timeouts }), signal);
  } catch (raw) {
    const error = asAttemptError(raw, controller.signal, input.signal, timeoutMessage);
    controller.abort(); // whatever the opener left open (a body it did not read) is closed now
    Object.assign(record, { status: error.status, errorClass: error.failureClass, durationMs: performance.now() - t0 });
    if (error.retryAfterMs !== undefined) record.retryAfterMs = error.retryAfterMs;
    // Only the upstream's own behaviour moves health: our failures and the client's leaving do not.
    if (notTheUpstream(error.failureClass)) {
      if (a.probe) health.release(id);
    } else health.failure(id, error.failureClass, error.status, key.label, error.retryAfterMs);
    return { error };
  } finally {
    clearTimeout(timer);
  }
  const ttft = performance.now() - t0;
  Object.assign(record, { status: 200, durationMs: ttft, ttftMs: ttft });
  health.success(id, 200, key.label);
  health.keys.succeeded(a.keyId);
  // A non-streamed answer's time is its whole generation: it would skew the first-token average.
  if (input.stream) health.observeTtft(id, ttft);
  const served = { ...opened, target, keyLabel: key.label, attempts: a.attempts } as T & Served;
  const rest = (opened as { rest?: AsyncIterator<unknown> }).rest;
  if (rest && typeof rest.next === 'function') {
    (served as unknown as { rest: AsyncIterableIterator<unknown> }).rest = guardStream(rest, {
      idleMs: a.timeouts.idleMs,
      deadline: a.deadline,
      abort: (reason) => controller.abort(reason),
      onEnd: (outcome) => {
        const elapsed = (performance.now() - t0 - ttft) / 1000;
        record.durationMs = performance.now() - t0;
        if (outcome.ok) {
          // Short bursts say more about the client's reading speed than the model's: only long streams count.
          if (elapsed >= 0.5 && outcome.items >= 10) health.observeRate(id, outcome.items / elapsed);
          return;
        }
        if (input.signal.aborted) {
          record.errorClass = 'cancelled';
          return;
        }
        const error = asAttemptError(outcome.error, controller.signal, input.signal, 'the stream timed out', 'stream');
        // The attempt opened (200) but broke mid-stream: the ledger says so and the breaker counts it
        // (unless our own code broke it).
        record.errorClass = error.failureClass;
        record.midStream = true;
        if (!notTheUpstream(error.failureClass)) health.failure(id, error.failureClass, 200, key.label);
      },
    });
  } else {
    record.durationMs = performance.now() - t0;
  }
  return { served };
}
