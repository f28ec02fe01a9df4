// What the ledger records and answers: one row per client request, with every attempt it took.
import type {
  Conversation,
  SpendAttempt,
  SpendQuery,
  SpendRequest,
  SpendRequestsQuery,
  SpendSeries,
  SpendSummary,
} from '../../../shared/types';
import type { ConversationStore } from './conversations';
import type { TextGroup } from './estimator';

export type RequestSource = 'port' | 'chat' | 'compare';
/** `interrupted`: the process ended (a crash) while the request was in flight; recorded at the next start. */
export type RequestStatus = 'ok' | 'error' | 'cancelled' | 'interrupted';

/** The client the app's own chat and compare requests are recorded (and budgeted) under; no token may take the name. */
export const APP_CLIENT = 'app';

/** What the UI sees of an attempt (SpendAttempt), plus the router's timing details. */
export interface AttemptRecord extends SpendAttempt {
  /** Time from the attempt's start to its first token (streams) or full answer. */
  ttftMs?: number;
  /** The upstream's Retry-After, in ms, when it sent one. */
  retryAfterMs?: number;
  /** The attempt answered and started streaming, then failed (errorClass says how). */
  midStream?: boolean;
}

export interface RequestRecord {
  id: string;
  /** Epoch milliseconds when the client request arrived. */
  startedAt: number;
  source: RequestSource;
  client: string | null;
  route: string | null;
  /** The target that served the request, else the last one tried (null when none was tried). */
  provider: string | null;
  model: string | null;
  /** The model the client asked for: a route name, a `provider/model` id. */
  requestedModel?: string | null;
  /** Some token figure (and so the cost) is our estimate: the upstream did not report it. */
  usageEstimated?: boolean;
  status: RequestStatus;
  httpStatus: number;
  errorMessage?: string;
  attempts: AttemptRecord[];
  /** Every input token, cached or not (cache reads and writes are parts of it). */
  inputTokens: number;
  /** Every output token, reasoning included. */
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
  /** USD; null when the price of the model is unknown (never recorded as 0). */
  costUsd: number | null;
  ttftMs: number | null;
  durationMs: number;
  /** The port path it came in on; in memory only (the request log), never a ledger column. */
  path?: string;
  /** What the request asked for that its target could not serve and was dropped; in memory only (the request log). */
  notes?: string[];
}

/** Token counts a row still waits for (counted off the event loop), and how they complete it. */
export interface PendingEstimate {
  groups: TextGroup[];
  /** Called once with a count per group, before the row is queued and listeners see it. */
  apply(counts: number[]): void;
  /** Called once the row is queued and its listeners ran (or it could not be recorded). */
  after?(): void;
}

/** A request in flight, journaled so that a crash leaves a row for it (computed when the journal is written). */
export interface OpenRequest {
  readonly id: string;
  openEntry(): OpenEntry;
}

export interface OpenEntry {
  id: string;
  startedAt: number;
  source: RequestSource;
  client: string | null;
  route: string | null;
  requestedModel: string | null;
  provider: string | null;
  model: string | null;
  attempts: AttemptRecord[];
  /** Estimated from the request body (no tokenizer: a journal entry must be cheap). */
  inputTokens: number;
  /** What those input tokens cost, null when the price is unknown. */
  costUsd: number | null;
}

/** The conversation store, with `get` waiting until the requests its messages report on are written. */
export type LedgerConversations = Omit<ConversationStore, 'get'> & { get(id: string): Promise<Conversation | undefined> };

/** What a settled reader sees (Ledger.whenSettled): the database with no batch being written, and the rows not yet in it. */
export interface SettledView {
  /** Spend over the rows in the database (a direct query). */
  spend(query: SpendQuery): SpendSummary;
  /** Rows recorded but still queued (not in the database); none is being written while the view is open. */
  unwritten: readonly RequestRecord[];
}

export interface Ledger {
  /**
   * Queues a row; never blocks the caller. Rows are written in batches off the hot path. With an
   * estimate, the row is queued once its tokens are counted (in a worker thread). `logged` is called
   * exactly once, when the row is on disk (the row log, written once for all the rows recorded in the
   * same turn of the event loop, or at once when no other request is in flight): the port ends a
   * response there, so a client that saw its answer complete finds its row even if the process is then
   * killed. Listeners hear of the row at once. A row waiting for its counts (or refused by a closed
   * ledger) calls it at once.
   */
  record(row: RequestRecord, estimate?: PendingEstimate, logged?: () => void): void;
  /** Journals a request whose first attempt is on its way; its recorded row closes the entry. */
  open(request: OpenRequest): void;
  /** Resolves once every row recorded before the call is written. Reads below wait the same way. */
  flush(): Promise<void>;
  spend(query: SpendQuery): Promise<SpendSummary>;
  /** Per-day series over the query's range, split by its `by`. */
  series(query: SpendQuery): Promise<SpendSeries>;
  /** The query's requests as CSV lines (header first), produced lazily. */
  csv(query: SpendQuery): Promise<Iterable<string>>;
  /** Single requests with their attempts, newest first, one bounded page. */
  requests(query: SpendRequestsQuery): Promise<SpendRequest[]>;
  /** Called synchronously with every recorded row (budgets keep running totals this way). */
  onRecord(listener: (row: RequestRecord) => void): () => void;
  /**
   * Calls `read` at a moment when no batch is being written (at once when none is), so a reader that
   * also follows onRecord (budgets) counts every row exactly once: in the database, unwritten, or later.
   */
  whenSettled(read: (view: SettledView) => void): void;
  /** Chat and compare conversations, stored in the same database. */
  readonly conversations: LedgerConversations;
  /** The most recent rows, newest first (for request logs and tests). */
  recent(limit: number): Promise<RequestRecord[]>;
  close(): Promise<void>;
}
