// Turns what happened to one client request into its ledger row: timings, usage, cost, attempts, and
// estimates (counted off the event loop) for the tokens an upstream did not report; journals the request
// when its first attempt is sent, so a crash still leaves a row.
import type { Price } from '../../shared/types';
import type { Catalog } from './catalog/catalog';
import { costUsd } from './catalog/pricing';
import { timeOrderedId } from './ids';
import { promptSample, roughTokens } from './canonical/prompt-sample';
import type { TextTally } from './canonical/text-tally';
import { emptyUsage, totalInputTokens, type Usage } from './canonical/usage';
import { roughCount, type TextGroup } from './ledger/estimator';
import type { AttemptRecord, Ledger, OpenEntry, OpenRequest, RequestRecord, RequestSource, RequestStatus } from './ledger/types';
import type { Target } from './router/resolve';

export interface Outcome {
  status: RequestStatus;
  httpStatus: number;
  target?: Target;
  attempts: AttemptRecord[];
  usage?: Usage | null;
  errorMessage?: string;
  /** The answer's text as far as it was streamed: counted when the upstream reported no output tokens. */
  output?: TextTally | null;
}

/** An attempt that was sent (not one skipped for want of a key, nor refused by our own checks). */
const wasSent = (a: AttemptRecord): boolean => a.errorClass !== 'no-key' && a.errorClass !== 'client-request';
/** An attempt still waiting for its upstream when the request ended: the provider may bill the prompt. */
const wasInFlight = (a: AttemptRecord | undefined): boolean =>
  a !== undefined && a.status === null && (a.errorClass === undefined || a.errorClass === 'cancelled' || a.errorClass === 'timeout');
const NO_TEXT: TextGroup = { texts: [], extraChars: 0 };

/** The target's price: the catalog's (override > config > refreshed > bundled), memoised per model. */
export function priceOf(catalog: Catalog, target: Target): Price | undefined {
  return catalog.lookup(target.provider, target.model).price ?? target.price;
}

/** Measures one request from arrival to its last byte and writes its row exactly once. */
export class RequestMeter implements OpenRequest {
  private readonly startedAt = Date.now();
  readonly id = timeOrderedId(this.startedAt);
  private readonly t0 = performance.now();
  private ttft: number | null = null;
  private recorded = false;
  /** The port path the request came in on (for the request log and `serve --log`; not stored in the ledger). */
  path?: string;
  /** Fields of the request dropped because its target cannot serve them (for the request log; not stored in the ledger). */
  notes?: string[];
  /** Gives back the request's budget reservation; called once, when its row is recorded. */
  private release?: () => void;
  /** The model the client asked for (a route, a `provider/model`). */
  requestedModel?: string;
  /** The request body (any dialect): read only for an input estimate, when the upstream reports none. */
  body?: unknown;
  private lastTarget?: Target;
  private journaled = false;

  constructor(
    private readonly ledger: Ledger,
    private readonly catalog: Catalog,
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

  /** Called as each attempt is sent (FailoverInput.onAttempt); the first one journals the request. */
  readonly attempted = (target: Target): void => {
    this.lastTarget = target;
    if (this.journaled || this.recorded) return;
    this.journaled = true;
    this.ledger.open(this); // a map entry; the entry itself is computed when the journal is written
  };

  /** What a crash would leave of this request: the target tried, and the prompt's cost (a rough estimate). */
  openEntry(): OpenEntry {
    const target = this.lastTarget;
    const inputTokens = this.body === undefined ? 0 : roughTokens(promptSample(this.body));
    const attempts: AttemptRecord[] = target
      ? [{ provider: target.provider.id, model: target.model, status: null, errorClass: 'interrupted', durationMs: 0 }]
      : [];
    return {
      id: this.id,
      startedAt: this.startedAt,
      source: this.source,
      client: this.client,
      route: this.route,
      requestedModel: this.requestedModel ?? null,
      provider: target?.provider.id ?? null,
      model: target?.model ?? null,
      attempts,
      inputTokens,
      costUsd: target ? costUsd({ ...emptyUsage(), inputTokens }, priceOf(this.catalog, target)) : 0,
    };
  }

  /**
   * Holds a budget reservation until this request's row is recorded, whatever the ending (ok, error,
   * cancelled): the actual cost replaces the worst case in the same synchronous step. A second hold
   * (the preflight ran again) gives the first back; a hold after the end is given back at once.
   */
  hold(release: () => void): void {
    const previous = this.release;
    this.release = release;
    previous?.();
    if (this.recorded) this.settle();
  }

  private settle(): void {
    const release = this.release;
    this.release = undefined;
    release?.();
  }

  /**
   * Records the row. Tokens the upstream did not report are estimated with the tokenizer, off the event
   * loop: the input from the request body (when an attempt was sent), the output from the streamed text.
   * Such a row is flagged `usageEstimated` and queued once counted; the returned row holds rough figures.
   * `end` (the response's last write) runs once the row is on disk (see Ledger.record: later in this
   * turn of the event loop), so a client that saw its answer end finds the row after a crash; it runs
   * exactly once whatever happens here (at once for a row recorded already, still to be counted, or
   * that could not be recorded).
   */
  finish(outcome: Outcome, end?: () => void): RequestRecord | undefined {
    if (!end) return this.recordRow(outcome, undefined);
    if (this.recorded) {
      end();
      return undefined;
    }
    let ended = false;
    const once = () => {
      if (ended) return;
      ended = true;
      end();
    };
    try {
      return this.recordRow(outcome, once);
    } catch (error) {
      once();
      throw error;
    }
  }

  private recordRow(outcome: Outcome, logged: (() => void) | undefined): RequestRecord | undefined {
    if (this.recorded) return undefined;
    this.recorded = true;
    const usage: Usage = outcome.usage ? { ...outcome.usage } : emptyUsage();
    const served = outcome.target;
    const last = outcome.attempts.at(-1);
    // A failed request keeps the last target it tried; only the served one (or one cut while working) is priced.
    const tried = served ?? this.lastTarget;
    const priced = served ?? (wasInFlight(last) ? this.lastTarget : undefined);
    const sent = served !== undefined || this.lastTarget !== undefined || outcome.attempts.some(wasSent);
    const row: RequestRecord = {
      id: this.id,
      startedAt: this.startedAt,
      source: this.source,
      client: this.client,
      route: this.route,
      provider: tried?.provider.id ?? last?.provider ?? null,
      model: tried?.model ?? last?.model ?? null,
      requestedModel: this.requestedModel ?? null,
      status: outcome.status,
      httpStatus: outcome.httpStatus,
      errorMessage: outcome.errorMessage,
      attempts: outcome.attempts,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      ttftMs: this.ttft,
      durationMs: performance.now() - this.t0,
    };
    if (this.path !== undefined) row.path = this.path;
    if (this.notes?.length) row.notes = this.notes;
    const input = sent && totalInputTokens(usage) === 0 && this.body !== undefined ? promptSample(this.body) : null;
    const output = usage.outputTokens === 0 && outcome.output && !outcome.output.empty ? outcome.output.sample() : null;
    const fill = () => {
      row.inputTokens = totalInputTokens(usage);
      row.outputTokens = usage.outputTokens;
      row.cacheReadTokens = usage.cacheReadTokens;
      row.cacheWriteTokens = usage.cacheWriteTokens;
      row.reasoningTokens = usage.reasoningTokens;
      // A request no target answered (nor was working on when it ended) cost nothing; else what its price says (or unknown).
      row.costUsd = priced ? costUsd(usage, priceOf(this.catalog, priced)) : 0;
    };
    if (!input && !output) {
      fill();
      try {
        this.ledger.record(row, undefined, logged); // budgets count the row's cost synchronously, here...
      } finally {
        this.settle(); // ...so dropping the reservation right after leaves no moment uncounted
      }
      return row;
    }
    row.usageEstimated = true;
    const groups = [input ?? NO_TEXT, output ?? NO_TEXT];
    const apply = (counts: number[]) => {
      if (input) usage.inputTokens = counts[0] ?? 0;
      if (output) usage.outputTokens = counts[1] ?? 0;
      fill();
    };
    apply(groups.map(roughCount)); // what the caller sees now; the row is recorded with the tokenizer's counts
    // The reservation is given back once the counted row is recorded (budgets see it in the same step).
    this.ledger.record(row, { groups, apply, after: () => this.settle() }, logged);
    return row;
  }
}
