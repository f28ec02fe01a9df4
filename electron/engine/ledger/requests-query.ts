// Single ledger requests for the spend drill-down: the query's range and filters, newest first, a
// bounded page at a time (through the started_at index).
import type Database from 'libsql';
import { roundMs, roundMsOrNull, roundUsdOrNull } from '../../../shared/format';
import type { SpendRequest, SpendRequestsQuery } from '../../../shared/types';
import { clientCondition, clientOf } from './app-client';
import { fromRow, type RequestRow } from './rows';
import { queryRange } from './spend-query';

export const MAX_PAGE = 500;

export function queryRequests(db: Database.Database, query: SpendRequestsQuery, now = Date.now()): SpendRequest[] {
  const { where, params, limit } = requestsFilter(query, now);
  const rows = db
    .prepare(`SELECT * FROM requests WHERE ${where} ORDER BY started_at DESC, rowid DESC LIMIT ?`)
    .all(...params, limit) as RequestRow[];
  return rows.map(toSpendRequest);
}

/** The drill-down's WHERE clause (`?` parameters, in order) and page size; shared with the team ledger. */
export function requestsFilter(query: SpendRequestsQuery, now = Date.now()): { where: string; params: unknown[]; limit: number } {
  const { from, to } = queryRange(query, now);
  const upper = query.before !== undefined && Number.isFinite(query.before) ? Math.min(query.before, to) : to;
  const where = ['started_at >= ?', 'started_at < ?'];
  const params: unknown[] = [
    Number.isFinite(from) ? from : Number.MIN_SAFE_INTEGER,
    Number.isFinite(upper) ? upper : Number.MAX_SAFE_INTEGER,
  ];
  for (const [column, value] of [
    ['client', query.client],
    ['source', query.source],
    ['provider', query.provider],
    ['model', query.model],
    ['route', query.route],
  ] as const) {
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new Error(`${column} must be a string`);
    where.push(column === 'client' ? clientCondition(value, false) : `${column} = ?`);
    params.push(value);
  }
  const limit = Math.max(1, Math.min(MAX_PAGE, Math.floor(Number(query.limit ?? 100)) || 100));
  return { where: where.join(' AND '), params, limit };
}

/** What the UI sees of a stored row. */
export function toSpendRequest(row: RequestRow): SpendRequest {
  const r = fromRow(row);
  const out: SpendRequest = {
    id: r.id,
    startedAt: r.startedAt,
    source: r.source,
    client: clientOf(r.client, r.source),
    route: r.route,
    provider: r.provider,
    model: r.model,
    status: r.status,
    httpStatus: r.httpStatus,
    attempts: r.attempts.map((a) => ({ ...a, durationMs: roundMs(a.durationMs) })),
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    // The shared rounding rule: what the UI shows and what the CSV says agree to the last digit.
    costUsd: roundUsdOrNull(r.costUsd),
    ttftMs: roundMsOrNull(r.ttftMs),
    durationMs: roundMs(r.durationMs),
  };
  if (r.errorMessage !== undefined) out.errorMessage = r.errorMessage;
  if (r.requestedModel !== undefined) out.requestedModel = r.requestedModel;
  if (r.usageEstimated) out.usageEstimated = true;
  return out;
}
