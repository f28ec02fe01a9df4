// The failover loop, independent of wire protocol: orders a route's targets by its strategy, skips
// open breakers and cooling or retired keys (re-probing a retired one after its backoff), rotates
// keys on 401/402/403/429, moves on before the first token, applies the route's timeouts, waits
// (bounded) only when nothing is healthy, and records every attempt for the ledger. One attempt
// itself (its timeout, record and health) is attempt.ts's.
import { createHash } from 'node:crypto';
import type { AttemptRecord } from '../ledger/types';
import type { ResolvedKey } from '../vault/types';
import { attemptOnce } from './attempt';
import { AttemptError, finalError, RoutingError, shouldFailover } from './failures';
import { targetId, type Availability, type RouterHealth } from './health';
import type { KeyAvailability } from './key-health';
import type { RoutePlan, Target } from './resolve';
import { conversationKey } from './sticky';
import { estimateTokens, orderTargets } from './strategy';
import { sleep } from './abort';
import { DEFAULT_TIMEOUTS, type Timeouts } from './timeouts';
import type { Attempt, FailoverInput, Served } from './failover-input';
import { withFields } from '../with-fields';

export type { Attempt, FailoverInput, Served } from './failover-input';

/** Waiting rounds when every candidate is cooling down or its breaker is open. */
const MAX_WAIT_ROUNDS = 2;
/** Longest single wait for a cooldown to end before the client gets a 503 instead. */
const MAX_WAIT_MS = 2_000;

const fingerprint = (secret: string) => () => createHash('sha256').update(secret).digest('base64url').slice(0, 16);

/** One request's way through its candidates: what is fixed at its start, then what the loop has learnt. */
interface Run {
  readonly input: FailoverInput;
  readonly plan: RoutePlan;
  readonly health: RouterHealth;
  readonly timeouts: Timeouts;
  /** On the performance.now() clock: no attempt starts after it. */
  readonly deadline: number;
  /** Every attempt made, for the ledger. */
  readonly attempts: AttemptRecord[];
  /** The conversation's sticky-routing key, when the route is sticky and has a choice to make. */
  readonly stickyKey: string | null;
  /** Targets that failed in this request without a cooldown that would end: not tried again. */
  readonly done: Set<string>;
  /** The latest failure: what the client is told if nothing answers. */
  last: AttemptError | undefined;
  /** The largest window a context-length error found too small: only a target with a larger (known) one can help. */
  contextLimit: number | undefined;
  /** When this round's soonest cooldown or breaker ends (Date.now() clock); Infinity when none will. */
  earliest: number;
}

/** What one failed attempt means for the loop. */
interface Step {
  /** The target's next key, the next target, or neither: the client gets the failure. */
  readonly move: 'next-key' | 'next-target' | 'give-up';
  /** The target may answer once a cooldown ends, so it stays a candidate for a waiting round. */
  readonly cooling: boolean;
}
// Shared constants: deciding a step allocates nothing.
const ROTATE_KEY: Step = { move: 'next-key', cooling: false };
const COOL_KEY: Step = { move: 'next-key', cooling: true };
const NEXT_TARGET: Step = { move: 'next-target', cooling: false };
const COOL_TARGET: Step = { move: 'next-target', cooling: true };
const GIVE_UP: Step = { move: 'give-up', cooling: false };

/** How a target fared in one round: no key tried (each cooling or retired), failed, or failed but cooling. */
type TargetOutcome = 'untried' | 'failed' | 'cooling';

/**
 * Opens the first target that answers. `open` does the protocol work and throws AttemptError (or a
 * network error) when the target fails before anything reached the client. A result with a `rest`
 * stream gets it wrapped so idle and total timeouts, health and cleanup cover it too.
 */
export async function runWithFailover<T extends object>(input: FailoverInput, open: (attempt: Attempt) => Promise<T>): Promise<T & Served> {
  // Awaited only when it returns a promise (team mode's shared budget check): no await otherwise.
  const checking = input.preflight?.();
  if (checking) await checking;
  // A caller that did not say: an OpenAI-shaped body tells.
  if (input.stream === undefined && input.body?.stream === true) input = withFields(input, { stream: true });
  const run = startRun(input);
  const order = candidateOrder(run);
  const { health } = run;

  rounds: for (let round = 0; round <= MAX_WAIT_ROUNDS; round++) {
    run.earliest = Infinity;
    for (const target of order) {
      const id = targetId(target.provider.id, target.model);
      const availability = usableTarget(run, target, id);
      if (!availability) continue;
      const keys = keysOf(run, target, id);
      if (!keys) continue;
      // Its keys in turn, until one answers or a failure says to leave the target (or the request).
      let outcome: TargetOutcome = 'untried';
      for (const key of keys) {
        const keyId = `${target.provider.id}/${key.label}`;
        const secretPrint = fingerprint(key.secret);
        const keyState = usableKey(run, keyId, target.model, secretPrint);
        if (!keyState) continue;
        // Out of time, or the client left: no new attempt starts.
        if (performance.now() >= run.deadline || input.signal.aborted) break rounds;
        // A retired key past its backoff: this request is its one probe.
        if (keyState.probe) health.keys.probeStarted(keyId);
        const result = await attemptOnce(input, open, {
          target,
          key,
          id,
          keyId,
          probe: availability.probe,
          timeouts: run.timeouts,
          deadline: run.deadline,
          health,
          attempts: run.attempts,
        });
        if ('served' in result) {
          if (run.stickyKey) health.sticky.set(run.stickyKey, id);
          return result.served;
        }
        run.last = result.error;
        const step = afterFailure(run, result.error, target, keyId, secretPrint, keyState.probe);
        if (step.move === 'give-up') break rounds;
        if (step.cooling) outcome = 'cooling';
        else if (outcome === 'untried') outcome = 'failed';
        if (step.move === 'next-target') break;
      }
      if (outcome === 'failed') run.done.add(id);
      // A route without fallbacks ends with the first target it could try.
      if (run.plan.noFallbacks && outcome !== 'untried') break rounds;
    }
    if (input.signal.aborted) break;
    const wait = waitBeforeNextRound(run, round);
    if (wait === undefined) break;
    await sleep(wait, input.signal);
  }
  throw failure(run);
}

/** What the request fixes at its start (timeouts, deadline, sticky key), with nothing learnt yet. */
function startRun(input: FailoverInput): Run {
  const { plan } = input;
  const timeouts = plan.timeouts ?? DEFAULT_TIMEOUTS;
  const candidates = plan.steps.reduce((n, s) => n + s.members.length, 0);
  return {
    input,
    plan,
    health: plan.health,
    timeouts,
    deadline: performance.now() + timeouts.totalMs,
    attempts: [],
    stickyKey: plan.sticky && candidates > 1 ? conversationKey(input.scope ?? '', input.body) : null,
    done: new Set<string>(),
    last: undefined,
    contextLimit: undefined,
    earliest: Infinity,
  };
}

/** The plan's targets in the order its strategy (and a sticky conversation's earlier pick) says to try them. */
function candidateOrder({ input, plan, health, stickyKey }: Run): Target[] {
  // Token estimates only matter to the cost and latency strategies.
  const needsTokens = [plan.strategy, ...plan.steps.map((s) => s.strategy)].some((s) => s === 'lowest-cost' || s === 'lowest-latency');
  const tokens = needsTokens ? estimateTokens(input.body) : { input: 0, output: 0 };
  return orderTargets(
    plan,
    { health, inputTokens: tokens.input, outputTokens: tokens.output, random: Math.random },
    stickyKey ? health.sticky.get(stickyKey) : undefined,
  );
}

/** The target's availability when this round may try it; undefined when it is done, too small or not available now. */
function usableTarget(run: Run, target: Target, id: string): Extract<Availability, { ok: true }> | undefined {
  if (run.done.has(id)) return undefined;
  // After a context-length error only a target with a larger (known) window can help.
  if (run.contextLimit !== undefined && !((target.contextWindow ?? 0) > run.contextLimit)) return undefined;
  const availability = run.health.availability(id);
  if (availability.ok) return availability;
  noteCooldown(run, availability.until);
  return undefined;
}

/** The key's state when it may be tried now (perhaps as a retired key's probe); undefined while it cools or stays retired. */
function usableKey(run: Run, keyId: string, model: string, secretPrint: () => string): Extract<KeyAvailability, { ok: true }> | undefined {
  const keyState = run.health.keys.availability(keyId, model, secretPrint);
  if (keyState.ok) return keyState;
  if (Number.isFinite(keyState.until)) noteCooldown(run, keyState.until);
  return undefined;
}

/** The target's keys; undefined when it has none, which counts as a failed (no-key) attempt and ends the target. */
function keysOf(run: Run, target: Target, id: string): ResolvedKey[] | undefined {
  let keys: ResolvedKey[];
  try {
    keys = run.input.vault.keysFor(target.provider.id, target.provider.keys);
  } catch (error) {
    keys = [];
    run.last = new AttemptError('no-key', (error as Error).message);
  }
  if (keys.length > 0) return keys;
  run.last ??= new AttemptError(
    'no-key',
    `no key available for provider "${target.provider.id}" (set its environment variable or run \`switchboard key set ${target.provider.id}\`)`,
  );
  run.attempts.push({ provider: target.provider.id, model: target.model, status: null, errorClass: 'no-key', durationMs: 0 });
  run.done.add(id);
  return undefined;
}

const noteCooldown = (run: Run, until: number): void => {
  run.earliest = Math.min(run.earliest, until);
};

/**
 * What a failed attempt means for the loop, by its failure class (docs/architecture.md §4). Tells the
 * health what the failure says about the key: retired, cooling, or (for a probe) nothing.
 */
function afterFailure(run: Run, error: AttemptError, target: Target, keyId: string, secretPrint: () => string, probe: boolean): Step {
  const { health } = run;
  const c = error.failureClass;
  if (c === 'auth') {
    health.retireKey(keyId, error.status, error.message, secretPrint(), probe);
    return ROTATE_KEY;
  }
  if (probe) health.keys.probeEnded(keyId); // it said nothing about the key itself
  if (c === 'cancelled') return GIVE_UP;
  if (c === 'rate-limited') {
    noteCooldown(run, Date.now() + health.coolKey(keyId, target.model, error.retryAfterMs, error.scope));
    return COOL_KEY;
  }
  if (c === 'context-length') {
    run.contextLimit = Math.max(run.contextLimit ?? 0, target.contextWindow ?? 0);
    return run.plan.contextFallback ? NEXT_TARGET : GIVE_UP;
  }
  // The caller's own fault: no other target would answer it differently.
  if (!shouldFailover(c)) return GIVE_UP;
  if (c === 'overloaded' && error.retryAfterMs !== undefined) {
    noteCooldown(run, Date.now() + health.cap(error.retryAfterMs));
    return COOL_TARGET;
  }
  return NEXT_TARGET;
}

/**
 * Nothing could be used in this round: how long to wait (bounded) for the soonest cooldown rather than
 * fail at once; undefined to give up. Throws the 503 when nothing was even tried.
 */
function waitBeforeNextRound(run: Run, round: number): number | undefined {
  if (!Number.isFinite(run.earliest)) return undefined;
  const wait = run.earliest - Date.now();
  if (round < MAX_WAIT_ROUNDS && wait <= MAX_WAIT_MS && performance.now() + wait < run.deadline) return Math.max(0, wait) + 5;
  if (run.last && run.attempts.length > 0) return undefined;
  const error = new RoutingError(
    503,
    'api_error',
    'every target of this route is cooling down or its breaker is open; try again shortly',
    'no_healthy_target',
    Math.max(1, Math.ceil(wait / 1000)),
  );
  error.attempts = run.attempts;
  throw error;
}

/** What the client is told when no target answered: the last failure, with when to come back if a cooldown is why. */
function failure(run: Run): RoutingError {
  const last = run.input.signal.aborted ? new AttemptError('cancelled', 'the client closed the request') : run.last;
  let error = finalError(last, run.attempts.length);
  if (Number.isFinite(run.earliest) && (error.status === 429 || error.status === 502)) {
    error = new RoutingError(
      error.status,
      error.type,
      error.message,
      error.code,
      Math.max(1, Math.ceil((run.earliest - Date.now()) / 1000)),
    );
  }
  error.attempts = run.attempts;
  return error;
}
