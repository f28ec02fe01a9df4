// Turns what happened to one client request into its ledger row: timings, usage, cost, attempts.
import type { Price } from '../../shared/types';
import { defaultCatalog } from './catalog/catalog';
import { costUsd } from './catalog/pricing';
import { timeOrderedId } from './ids';
import { emptyUsage, totalInputTokens, type Usage } from './canonical/usage';
import type { AttemptRecord, Ledger, RequestRecord, RequestSource, RequestStatus } from './ledger/types';
import type { Target } from './router/resolve';

export interface Outcome {
  status: RequestStatus;
  httpStatus: number;
  target?: Target;
  attempts: AttemptRecord[];
  usage?: Usage | null;
  errorMessage?: string;
}

/** The target's price: the catalog's (override > config > refreshed > bundled), memoised per model. */
export function priceOf(target: Target): Price | undefined {
  return defaultCatalog.lookup(target.provider, target.model).price ?? target.price;
}

/** Measures one request from arrival to its last byte and writes its row exactly once. */
export class RequestMeter {
  private readonly startedAt = Date.now();
  readonly id = timeOrderedId(this.startedAt);
  private readonly t0 = performance.now();
  private ttft: number | null = null;
  private recorded = false;
  /** The port path the request came in on (for the request log and `serve --log`; not stored in the ledger). */
  path?: string;

  constructor(
    private readonly ledger: Ledger,
    private readonly source: RequestSource,
    private readonly client: string | null,
    private readonly route: string | null,
  ) {}

  /** Call when the first token is sent to the client; later calls are ignored. */
  firstToken(): void {
    if (this.ttft === null) this.ttft = performance.now() - this.t0;
  }

  get ttftMs(): number | null {
    return this.ttft;
  }

  finish(outcome: Outcome): RequestRecord | undefined {
    if (this.recorded) return undefined;
    this.recorded = true;
    const usage = outcome.usage ?? emptyUsage();
    const row: RequestRecord = {
      id: this.id,
      startedAt: this.startedAt,
      source: this.source,
      client: this.client,
      route: this.route,
      provider: outcome.target?.provider.id ?? null,
      model: outcome.target?.model ?? null,
      status: outcome.status,
      httpStatus: outcome.httpStatus,
      errorMessage: outcome.errorMessage,
      attempts: outcome.attempts,
      inputTokens: totalInputTokens(usage),
      outputTokens: usage.outputTokens,
      cacheReadTokens: usage.cacheReadTokens,
      cacheWriteTokens: usage.cacheWriteTokens,
      reasoningTokens: usage.reasoningTokens,
      // A request no target answered cost nothing; an answered one costs what its price says (or unknown).
      costUsd: outcome.target ? costUsd(usage, priceOf(outcome.target)) : 0,
      ttftMs: this.ttft,
      durationMs: performance.now() - this.t0,
    };
    if (this.path !== undefined) row.path = this.path;
    this.ledger.record(row);
    return row;
  }
}
