// Answers spend queries over any range: whole UTC days come from the `spend_daily` rollup (kept by a
// trigger), the partial days at either end from `requests` through its started_at index.
import type Database from 'libsql';
import type { SpendGroup, SpendGroupBy, SpendPoint, SpendQuery, SpendSeries, SpendSummary, SpendTotals } from '../../../shared/types';
import { parseSince } from './since';

const DAY_MS = 86_400_000;
export const GROUPINGS: readonly SpendGroupBy[] = ['day', 'model', 'provider', 'client', 'route'];

const DAY_OF = `strftime('%Y-%m-%d', started_at / 1000, 'unixepoch')`;
// Groups key on plain columns (model = provider + model); labels are built in JS. A string expression
// per row in GROUP BY costs more than the sums themselves over a large rollup.
const ROLLUP_COLS: Record<SpendGroupBy, string[]> = {
  day: ['day'],
  model: ['provider', 'model'],
  provider: ['provider'],
  client: ['client'],
  route: ['route'],
};
// The rollup stores '' for "none"; raw rows have NULL, mapped the same way.
const RAW_COLS: Record<SpendGroupBy, string[]> = {
  day: [DAY_OF],
  model: [`COALESCE(provider, '')`, `COALESCE(model, '')`],
  provider: [`COALESCE(provider, '')`],
  client: [`COALESCE(client, '')`],
  route: [`COALESCE(route, '')`],
};

function label(by: SpendGroupBy, v: unknown[]): string {
  const [a, b] = v.map((x) => (x === null || x === undefined ? '' : String(x)));
  if (by === 'model') return a ? `${a}/${b || '(none)'}` : '(none)';
  return a || '(none)';
}

const ROLLUP_VALUES = `requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, unknown_cost`;
const RAW_VALUES = `1 AS requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens,
  COALESCE(cost_usd, 0) AS cost_usd, cost_usd IS NULL AS unknown_cost`;
const SUMS = `COALESCE(SUM(requests), 0) AS requests, COALESCE(SUM(input_tokens), 0) AS input_tokens,
  COALESCE(SUM(output_tokens), 0) AS output_tokens, COALESCE(SUM(cache_read_tokens), 0) AS cache_read_tokens,
  COALESCE(SUM(cache_write_tokens), 0) AS cache_write_tokens, COALESCE(SUM(reasoning_tokens), 0) AS reasoning_tokens,
  COALESCE(SUM(cost_usd), 0) AS cost_usd, COALESCE(SUM(unknown_cost), 0) AS unknown_cost`;

type SumRow = Record<'requests' | 'input_tokens' | 'output_tokens' | 'cache_read_tokens' | 'cache_write_tokens' | 'reasoning_tokens' | 'cost_usd' | 'unknown_cost', number>;

/** Sums of binary floats carry noise (0.000014000000000000001); 12 significant digits keep every real cent. */
const usd = (v: number): number => Number(v.toPrecision(12));

function totals(row: SumRow | undefined): SpendTotals {
  return {
    requests: Number(row?.requests ?? 0),
    inputTokens: Number(row?.input_tokens ?? 0),
    outputTokens: Number(row?.output_tokens ?? 0),
    cacheReadTokens: Number(row?.cache_read_tokens ?? 0),
    cacheWriteTokens: Number(row?.cache_write_tokens ?? 0),
    reasoningTokens: Number(row?.reasoning_tokens ?? 0),
    costUsd: usd(Number(row?.cost_usd ?? 0)),
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
/** First instant of the UTC month containing `ms` (or of the next month with `up` when not already on one). */
function monthEdge(ms: number, up: boolean): number {
  if (!Number.isFinite(ms)) return ms;
  const d = new Date(ms);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return up && start < ms ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) : start;
}

/**
 * The range as a UNION of: whole months from `spend_monthly` (when `months`; not for per-day output),
 * whole days from `spend_daily`, and the partial days at either end from `requests`.
 */
function rangeSelect(range: Range, query: SpendQuery, cols: string[], rawCols: string[], months = false): { sql: string; params: unknown[] } {
  const keys = cols.map((c, i) => `${c} AS g${i}, `).join('');
  const rawKeys = rawCols.map((c, i) => `${c} AS g${i}, `).join('');
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
    parts.push(`SELECT ${rawKeys}${RAW_VALUES} FROM requests${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`);
    params.push(...p);
  };
  const rollup = (table: 'spend_daily' | 'spend_monthly', from: number, to: number) => {
    const col = table === 'spend_daily' ? 'day' : 'month';
    const text = (ms: number) => (col === 'day' ? dayString(ms) : dayString(ms).slice(0, 7));
    const where = [...filters];
    const p: unknown[] = [...filterParams];
    if (Number.isFinite(from)) {
      where.push(`${col} >= ?`);
      p.push(text(from));
    }
    if (Number.isFinite(to)) {
      where.push(`${col} < ?`);
      p.push(text(to));
    }
    parts.push(`SELECT ${keys}${ROLLUP_VALUES} FROM ${table}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`);
    params.push(...p);
  };
  if (firstWhole < endWhole) {
    const firstMonth = monthEdge(firstWhole, true);
    const endMonth = monthEdge(endWhole, false);
    if (months && firstMonth < endMonth) {
      rollup('spend_monthly', firstMonth, endMonth);
      if (firstWhole < firstMonth) rollup('spend_daily', firstWhole, firstMonth);
      if (endMonth < endWhole) rollup('spend_daily', endMonth, endWhole);
    } else {
      rollup('spend_daily', firstWhole, endWhole);
    }
    if (range.from < firstWhole) raw(range.from, firstWhole);
    if (endWhole < range.to) raw(endWhole, range.to);
  } else if (range.from < range.to) {
    raw(range.from, range.to);
  }
  if (parts.length === 0) parts.push(`SELECT ${keys}${ROLLUP_VALUES} FROM spend_daily WHERE 0`);
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
  const cols = by ? ROLLUP_COLS[by] : [];
  const { sql, params } = rangeSelect(range, query, cols, by ? RAW_COLS[by] : [], by !== 'day');
  const g = cols.map((_, i) => `g${i}`).join(', ');
  const rows = db.prepare(`SELECT ${g ? `${g}, ` : ''}${SUMS} FROM (${sql})${g ? ` GROUP BY ${g}` : ''}`).all(...params) as Array<SumRow & Record<string, unknown>>;
  const groups = rows.map((row): SpendGroup => ({ key: by ? label(by, cols.map((_, i) => row[`g${i}`])) : '', ...totals(row) }));
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
  const cols = ['day', ...(split ? ROLLUP_COLS[split] : [])];
  const { sql, params } = rangeSelect(range, query, cols, [DAY_OF, ...(split ? RAW_COLS[split] : [])]);
  const g = cols.map((_, i) => `g${i}`).join(', ');
  const rows = db.prepare(`SELECT ${g}, ${SUMS} FROM (${sql}) GROUP BY ${g}`).all(...params) as Array<SumRow & Record<string, unknown>>;
  const points = rows.map((row): SpendPoint => ({ day: String(row.g0), key: split ? label(split, cols.slice(1).map((_, i) => row[`g${i + 1}`])) : '', ...totals(row) }));
  points.sort((a, b) => a.day.localeCompare(b.day) || a.key.localeCompare(b.key));
  return { by: split, points };
}

function addTotals(a: SpendTotals, b: SpendTotals): SpendTotals {
  return {
    requests: a.requests + b.requests,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
    costUsd: usd(a.costUsd + b.costUsd),
    unknownCostRequests: a.unknownCostRequests + b.unknownCostRequests,
  };
}
