// Answers spend queries over any range: whole UTC days come from the `spend_daily` rollup (kept by a
// trigger), the partial days at either end from `requests` through its started_at index.
import type Database from 'libsql';
import type { SpendGroup, SpendGroupBy, SpendPoint, SpendQuery, SpendSeries, SpendSummary, SpendTotals } from '../../../shared/types';
import { parseSince } from './since';

const DAY_MS = 86_400_000;
export const GROUPINGS: readonly SpendGroupBy[] = ['day', 'model', 'provider', 'client', 'route'];

const noneIfEmpty = (col: string) => `CASE WHEN ${col} = '' THEN '(none)' ELSE ${col} END`;
/** Group key per grouping, for the rollup (empty string = none) and for raw rows (NULL = none). */
const ROLLUP_KEY: Record<SpendGroupBy, string> = {
  day: 'day',
  model: `CASE WHEN provider = '' THEN '(none)' ELSE provider || '/' || ${noneIfEmpty('model')} END`,
  provider: noneIfEmpty('provider'),
  client: noneIfEmpty('client'),
  route: noneIfEmpty('route'),
};
const DAY_OF = `strftime('%Y-%m-%d', started_at / 1000, 'unixepoch')`;
const RAW_KEY: Record<SpendGroupBy, string> = {
  day: DAY_OF,
  model: `CASE WHEN provider IS NULL THEN '(none)' ELSE provider || '/' || COALESCE(model, '(none)') END`,
  provider: `COALESCE(provider, '(none)')`,
  client: `COALESCE(client, '(none)')`,
  route: `COALESCE(route, '(none)')`,
};

const ROLLUP_VALUES = `requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, unknown_cost`;
const RAW_VALUES = `1 AS requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens,
  COALESCE(cost_usd, 0) AS cost_usd, cost_usd IS NULL AS unknown_cost`;
const SUMS = `COALESCE(SUM(requests), 0) AS requests, COALESCE(SUM(input_tokens), 0) AS input_tokens,
  COALESCE(SUM(output_tokens), 0) AS output_tokens, COALESCE(SUM(cache_read_tokens), 0) AS cache_read_tokens,
  COALESCE(SUM(cache_write_tokens), 0) AS cache_write_tokens, COALESCE(SUM(reasoning_tokens), 0) AS reasoning_tokens,
  COALESCE(SUM(cost_usd), 0) AS cost_usd, COALESCE(SUM(unknown_cost), 0) AS unknown_cost`;

type SumRow = Record<'requests' | 'input_tokens' | 'output_tokens' | 'cache_read_tokens' | 'cache_write_tokens' | 'reasoning_tokens' | 'cost_usd' | 'unknown_cost', number>;

function totals(row: SumRow | undefined): SpendTotals {
  return {
    requests: Number(row?.requests ?? 0),
    inputTokens: Number(row?.input_tokens ?? 0),
    outputTokens: Number(row?.output_tokens ?? 0),
    cacheReadTokens: Number(row?.cache_read_tokens ?? 0),
    cacheWriteTokens: Number(row?.cache_write_tokens ?? 0),
    reasoningTokens: Number(row?.reasoning_tokens ?? 0),
    costUsd: Number(row?.cost_usd ?? 0),
    unknownCostRequests: Number(row?.unknown_cost ?? 0),
  };
}

export interface Range {
  from: number;
  to: number;
}

/** The query's [from, to) in epoch ms; throws an Error naming a bad `since`/`until`. */
export function queryRange(query: SpendQuery, now = Date.now()): Range {
  const from = query.since === undefined ? -Infinity : parseSince(query.since, now);
  const to = query.until === undefined ? Infinity : parseSince(query.until, now);
  return { from, to };
}

const dayString = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * One sub-select (`key2` is a second key, for series) over the range: the rollup for whole days,
 * raw rows for the partial day at each end. Parameters are returned alongside.
 */
function rangeSelect(range: Range, query: SpendQuery, key: string, rawKey: string, key2 = "''", rawKey2 = "''"): { sql: string; params: unknown[] } {
  const firstWhole = Number.isFinite(range.from) ? Math.ceil(range.from / DAY_MS) * DAY_MS : -Infinity;
  const endWhole = Number.isFinite(range.to) ? Math.floor(range.to / DAY_MS) * DAY_MS : Infinity;
  const filters: string[] = [];
  const filterParams: unknown[] = [];
  if (query.client !== undefined) {
    filters.push('client = ?');
    filterParams.push(query.client);
  }
  if (query.source !== undefined) {
    filters.push('source = ?');
    filterParams.push(query.source);
  }
  const parts: string[] = [];
  const params: unknown[] = [];
  const raw = (from: number, to: number) => {
    const where = [...filters];
    const p: unknown[] = [...filterParams];
    if (Number.isFinite(from)) {
      where.push('started_at >= ?');
      p.push(from);
    }
    if (Number.isFinite(to)) {
      where.push('started_at < ?');
      p.push(to);
    }
    parts.push(`SELECT ${rawKey} AS key, ${rawKey2} AS key2, ${RAW_VALUES} FROM requests${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`);
    params.push(...p);
  };
  if (firstWhole < endWhole) {
    const where = [...filters];
    const p: unknown[] = [...filterParams];
    if (Number.isFinite(firstWhole)) {
      where.push('day >= ?');
      p.push(dayString(firstWhole));
    }
    if (Number.isFinite(endWhole)) {
      where.push('day < ?');
      p.push(dayString(endWhole));
    }
    parts.push(`SELECT ${key} AS key, ${key2} AS key2, ${ROLLUP_VALUES} FROM spend_daily${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`);
    params.push(...p);
    if (range.from < firstWhole) raw(range.from, firstWhole);
    if (endWhole < range.to) raw(endWhole, range.to);
  } else if (range.from < range.to) {
    raw(range.from, range.to);
  }
  if (parts.length === 0) parts.push(`SELECT '' AS key, '' AS key2, ${ROLLUP_VALUES} FROM spend_daily WHERE 0`);
  // The rollup stores '' for none, and its client/source filters compare with '' too: map them the same.
  return { sql: parts.join(' UNION ALL '), params };
}

function checkBy(by: unknown): void {
  if (by !== undefined && by !== null && !GROUPINGS.includes(by as SpendGroupBy)) {
    throw new Error(`invalid spend grouping "${String(by)}": use ${GROUPINGS.join(', ')}`);
  }
}

export function querySpend(db: Database.Database, query: SpendQuery, now = Date.now()): SpendSummary {
  checkBy(query.by);
  const range = queryRange(query, now);
  const by = query.by;
  const { sql, params } = rangeSelect(range, query, by ? ROLLUP_KEY[by] : "''", by ? RAW_KEY[by] : "''");
  const rows = db.prepare(`SELECT key, ${SUMS} FROM (${sql}) GROUP BY key`).all(...params) as Array<SumRow & { key: string }>;
  const groups = rows.map((row): SpendGroup => ({ key: String(row.key), ...totals(row) }));
  const sum = groups.reduce<SpendTotals>((acc, g) => addTotals(acc, g), totals(undefined));
  if (!by) return { ...sum, groups: [] };
  // Days read best in calendar order; everything else by what it cost, then by how much it was used.
  groups.sort(by === 'day' ? (a, b) => a.key.localeCompare(b.key) : (a, b) => b.costUsd - a.costUsd || b.requests - a.requests || a.key.localeCompare(b.key));
  return { ...sum, groups };
}

/** Per UTC day over the range, split by `by` (day alone when `by` is absent or `day`). */
export function querySeries(db: Database.Database, query: SpendQuery, now = Date.now()): SpendSeries {
  checkBy(query.by);
  const range = queryRange(query, now);
  const split = query.by && query.by !== 'day' ? query.by : null;
  const { sql, params } = rangeSelect(range, query, 'day', DAY_OF, split ? ROLLUP_KEY[split] : "''", split ? RAW_KEY[split] : "''");
  const rows = db.prepare(`SELECT key, key2, ${SUMS} FROM (${sql}) GROUP BY key, key2 ORDER BY key, key2`).all(...params) as Array<SumRow & { key: string; key2: string }>;
  return { by: split, points: rows.map((row): SpendPoint => ({ day: String(row.key), key: String(row.key2), ...totals(row) })) };
}

function addTotals(a: SpendTotals, b: SpendTotals): SpendTotals {
  return {
    requests: a.requests + b.requests,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
    costUsd: a.costUsd + b.costUsd,
    unknownCostRequests: a.unknownCostRequests + b.unknownCostRequests,
  };
}
