// Maps RequestRecord to and from a `requests` row (snake_case columns, attempts as JSON text).
import type { AttemptRecord, RequestRecord, RequestSource, RequestStatus } from './types';

export const COLUMNS = [
  'id',
  'started_at',
  'source',
  'client',
  'route',
  'provider',
  'model',
  'status',
  'http_status',
  'error_message',
  'attempts',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'ttft_ms',
  'duration_ms',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_known',
  'requested_model',
  'usage_estimated',
] as const;

// ON CONFLICT DO NOTHING, not OR REPLACE: a replace deletes behind the rollup trigger's back and counts twice;
// and not OR IGNORE, which would silently skip a row with a NULL in a NOT NULL column.
// Positional parameters, bound from rowValues(): cheaper to bind than named ones, and the rows cross to
// the writer thread as plain arrays (a structured clone of an array costs less than of an object).
export const INSERT_SQL = `INSERT INTO requests (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (id) DO NOTHING`;

/** A row's values in COLUMNS order (id first). */
export const rowValues = (row: RequestRow): unknown[] => COLUMNS.map((c) => row[c]);

export function rowFromValues(values: readonly unknown[]): RequestRow {
  const row: Record<string, unknown> = {};
  COLUMNS.forEach((c, i) => (row[c] = values[i]));
  return row as RequestRow;
}

export type RequestRow = {
  id: string;
  started_at: number;
  source: string;
  client: string | null;
  route: string | null;
  provider: string | null;
  model: string | null;
  status: string;
  http_status: number;
  error_message: string | null;
  attempts: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number | null;
  ttft_ms: number | null;
  duration_ms: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_known: number;
  requested_model: string | null;
  usage_estimated: number;
};

export function toRow(r: RequestRecord): RequestRow {
  const cost = r.costUsd !== null && Number.isFinite(r.costUsd) ? r.costUsd : null;
  return {
    id: r.id,
    started_at: r.startedAt,
    source: r.source,
    client: r.client,
    route: r.route,
    provider: r.provider,
    model: r.model,
    status: r.status,
    http_status: r.httpStatus,
    error_message: r.errorMessage ?? null,
    attempts: JSON.stringify(r.attempts),
    input_tokens: r.inputTokens,
    output_tokens: r.outputTokens,
    // A NaN or Infinity cost is a pricing bug; store it as unknown rather than poison every SUM.
    cost_usd: cost,
    ttft_ms: r.ttftMs,
    duration_ms: r.durationMs,
    cache_read_tokens: r.cacheReadTokens ?? 0,
    cache_write_tokens: r.cacheWriteTokens ?? 0,
    reasoning_tokens: r.reasoningTokens ?? 0,
    cost_known: cost === null ? 0 : 1,
    requested_model: r.requestedModel ?? null,
    usage_estimated: r.usageEstimated ? 1 : 0,
  };
}

export function fromRow(row: RequestRow): RequestRecord {
  const record: RequestRecord = {
    id: row.id,
    startedAt: Number(row.started_at),
    source: row.source as RequestSource,
    client: row.client,
    route: row.route,
    provider: row.provider,
    model: row.model,
    status: row.status as RequestStatus,
    httpStatus: Number(row.http_status),
    attempts: JSON.parse(row.attempts) as AttemptRecord[],
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    costUsd: row.cost_usd === null ? null : Number(row.cost_usd),
    ttftMs: row.ttft_ms === null ? null : Number(row.ttft_ms),
    durationMs: Number(row.duration_ms),
    cacheReadTokens: Number(row.cache_read_tokens ?? 0),
    cacheWriteTokens: Number(row.cache_write_tokens ?? 0),
    reasoningTokens: Number(row.reasoning_tokens ?? 0),
  };
  if (row.error_message !== null) record.errorMessage = row.error_message;
  if (row.requested_model !== null && row.requested_model !== undefined) record.requestedModel = row.requested_model;
  if (Number(row.usage_estimated ?? 0)) record.usageEstimated = true;
  return record;
}
