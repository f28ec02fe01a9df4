// What the failover loop takes and gives: the request's input, one attempt as an opener sees it, and
// what a served answer carries back (failover.ts runs the loop).
import type { CancelSignal } from '../cancel';
import type { AttemptRecord } from '../ledger/types';
import type { Transport } from '../providers/transport';
import type { ResolvedKey, Vault } from '../vault/types';
import type { RoutePlan, Target } from './resolve';
import type { Timeouts } from './timeouts';

export interface Attempt {
  target: Target;
  key: ResolvedKey;
  signal: CancelSignal;
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
  signal: CancelSignal;
  /** The request body (for cost estimates and sticky routing). */
  body?: Record<string, unknown>;
  /** Streams get the first-token timeout and a guarded `rest`; other requests the total timeout. */
  stream?: boolean;
  /** Conversation scope for sticky routing (route name or model name, plus the client). */
  scope?: string;
  /**
   * Runs once before the first attempt (budgets); throwing a RoutingError (or returning a promise that
   * rejects with one: team mode's shared budget check) refuses the request unsent.
   */
  preflight?: () => void | Promise<void>;
  /** Told as each attempt is sent (the ledger journals the request at the first, so a crash leaves a row). */
  onAttempt?: (target: Target) => void;
}
