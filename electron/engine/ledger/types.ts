// What the ledger records and answers: one row per client request, with every attempt it took.
import type { SpendAttempt, SpendQuery, SpendRequest, SpendRequestsQuery, SpendSeries, SpendSummary } from '../../../shared/types';
import type { ConversationStore } from './conversations';

export type RequestSource = 'port' | 'chat' | 'compare';
export type RequestStatus = 'ok' | 'error' | 'cancelled';

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
  /** The target that served the request (the last attempt's), or null if none answered. */
  provider: string | null;
  model: string | null;
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
}

export interface Ledger {
  /** Queues a row; never blocks the caller. Rows are written in batches off the hot path. */
  record(row: RequestRecord): void;
  /** Writes every queued row now. */
  flush(): Promise<void>;
  spend(query: SpendQuery): SpendSummary;
  /** Per-day series over the query's range, split by its `by`. */
  series(query: SpendQuery): SpendSeries;
  /** The query's requests as CSV lines (header first), produced lazily. */
  csv(query: SpendQuery): Iterable<string>;
  /** Single requests with their attempts, newest first, one bounded page. */
  requests(query: SpendRequestsQuery): SpendRequest[];
  /** Called synchronously with every recorded row (budgets keep running totals this way). */
  onRecord(listener: (row: RequestRecord) => void): () => void;
  /** Chat and compare conversations, stored in the same database. */
  readonly conversations: ConversationStore;
  /** The most recent rows, newest first (for request logs and tests). */
  recent(limit: number): RequestRecord[];
  close(): Promise<void>;
}
