// Answers spend queries over any range: whole UTC days come from the `spend_daily` rollup (kept by a
// trigger), the partial days at either end from `requests` through its started_at index.
import type Database from 'libsql';
import { roundUsd } from '../../../shared/format';
import type { SpendGroup, SpendGroupBy, SpendPoint, SpendQuery, SpendSeries, SpendSummary, SpendTotals } from '../../../shared/types';
import { clientCondition, clientOf } from './app-client';
import { ROLLUP_SUMS } from './rollup-columns';
import { parseSince } from './since';

const DAY_MS = 86_400_000;
export const GROUPINGS: readonly SpendGroupBy[] = ['day', 'model', 'provider', 'client', 'route'];

const DAY_OF = `strftime('%Y-%m-%d', started_at / 1000, 'unixepoch')`;
const HOUR_OF = `strftime('%Y-%m-%dT%H', started_at / 1000, 'unixepoch')`;
/** An hourly series reads single rows (the rollups are per day), so its range is bounded. */
const MAX_HOURLY_MS = 31 * DAY_MS;
// Groups key on plain columns (model = provider + model); labels are built in JS. A string expression
// per row in GROUP BY costs more than the sums themselves over a large rollup. Clients key with their
// source too: a chat or compare row without a client is the app's (app-client.ts).
const ROLLUP_COLS: Record<SpendGroupBy, string[]> = {
  day: ['day'],
  model: ['provider', 'model'],
  provider: ['provider'],
  client: ['client', 'source'],
  route: ['route'],
};
// The rollup stores '' for "none"; raw rows have NULL, mapped the same way.
const RAW_COLS: Record<SpendGroupBy, string[]> = {
  day: [DAY_OF],
  model: [`COALESCE(provider, '')`, `COALESCE(model, '')`],
  provider: [`COALESCE(provider, '')`],
  client: [`COALESCE(client, '')`, 'source'],
  route: [`COALESCE(route, '')`],
};

export function label(by: SpendGroupBy, v: unknown[]): string {
  const [a, b] = v.map((x) => (x === null || x === undefined ? '' : String(x)));
  if (by === 'model') return a ? `${a}/${b || '(none)'}` : '(none)';
  if (by === 'client') return clientOf(a || null, b ?? 'port') ?? '(none)';
  return a || '(none)';
}

/** Sum rows that share a label (a client's rows from several sources) merged into one, in first-seen order. */
function mergeBy<T extends SumRow>(rows: T[], keyOf: (row: T) => string): Array<[string, SumRow]> {
  const merged = new Map<string, SumRow>();
  for (const row of rows) {
    const key = keyOf(row);
    const acc = merged.get(key);
    if (!acc) merged.set(key, Object.fromEntries(ROLLUP_SUMS.map((k) => [k, Number(row[k] ?? 0)])) as SumRow);
    else for (const k of ROLLUP_SUMS) acc[k] += Number(row[k] ?? 0);
  }
  return [...merged];
}

const ROLLUP_VALUES = `requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, unknown_cost, estimated`;
const RAW_VALUES = `1 AS requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens,
  COALESCE(cost_usd, 0) AS cost_usd, cost_usd IS NULL AS unknown_cost, usage_estimated <> 0 AS estimated`;
const SUMS = `COALESCE(SUM(requests), 0) AS requests, COALESCE(SUM(input_tokens), 0) AS input_tokens,
  COALESCE(SUM(output_tokens), 0) AS output_tokens, COALESCE(SUM(cache_read_tokens), 0) AS cache_read_tokens,
  COALESCE(SUM(cache_write_tokens), 0) AS cache_write_tokens, COALESCE(SUM(reasoning_tokens), 0) AS reasoning_tokens,
  COALESCE(SUM(cost_usd), 0) AS cost_usd, COALESCE(SUM(unknown_cost), 0) AS unknown_cost, COALESCE(SUM(estimated), 0) AS estimated`;

export type SumRow = Record<(typeof ROLLUP_SUMS)[number], number>;

/**
 * A total's cost is a number only when every request in it is priced: one unknown makes it unknown
 * (null), with the known part beside it. Money is rounded once, here, by the shared rule.
 */
function withCost<T extends Omit<SpendTotals, 'costUsd' | 'knownCostUsd'>>(
  t: T,
  knownUsd: number,
): T & Pick<SpendTotals, 'costUsd' | 'knownCostUsd'> {
  const knownCostUsd = roundUsd(knownUsd);
  return { ...t, costUsd: t.unknownCostRequests > 0 ? null : knownCostUsd, knownCostUsd };
}

function totals(row: SumRow | undefined): SpendTotals {
  const t: SpendTotals = withCost(
    {
      requests: Number(row?.requests ?? 0),
      inputTokens: Number(row?.input_tokens ?? 0),
      outputTokens: Number(row?.output_tokens ?? 0),
      cacheReadTokens: Number(row?.cache_read_tokens ?? 0),
      cacheWriteTokens: Number(row?.cache_write_tokens ?? 0),
      reasoningTokens: Number(row?.reasoning_tokens ?? 0),
      unknownCostRequests: Number(row?.unknown_cost ?? 0),
    },
    Number(row?.cost_usd ?? 0),
  );
  // Requests whose tokens are estimates (the upstream reported none): named only when there are some.
  const estimated = Number(row?.estimated ?? 0);
  if (estimated > 0) t.estimatedRequests = estimated;
  return t;
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
function rangeSelect(
  range: Range,
  query: SpendQuery,
  cols: string[],
  rawCols: string[],
  months = false,
  rawOnly = false,
): { sql: string; params: unknown[] } {
  const keys = cols.map((c, i) => `${c} AS g${i}, `).join('');
  const rawKeys = rawCols.map((c, i) => `${c} AS g${i}, `).join('');
  const firstWhole = Number.isFinite(range.from) ? Math.ceil(range.from / DAY_MS) * DAY_MS : -Infinity;
  const endWhole = Number.isFinite(range.to) ? Math.floor(range.to / DAY_MS) * DAY_MS : Infinity;
  const filterParams: unknown[] = [];
  const filtersFor = (rollup: boolean): string[] => {
    const filters: string[] = [];
    if (query.client !== undefined) filters.push(clientCondition(query.client, rollup));
    if (query.source !== undefined) filters.push('source = ?');
    return filters;
  };
  if (query.client !== undefined) filterParams.push(query.client);
  if (query.source !== undefined) filterParams.push(query.source);
  const parts: string[] = [];
  const params: unknown[] = [];
  const raw = (from: number, to: number) => {
    const where = filtersFor(false);
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
    const where = filtersFor(true);
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
  if (rawOnly) {
    if (range.from < range.to) raw(range.from, range.to);
  } else if (firstWhole < endWhole) {
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

export function checkBy(by: unknown): void {
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
  const rows = db.prepare(`SELECT ${g ? `${g}, ` : ''}${SUMS} FROM (${sql})${g ? ` GROUP BY ${g}` : ''}`).all(...params) as GroupedSumRow[];
  return summarize(by, cols.length, rows);
}

/** A row of grouped sums: its keys as g0, g1, ... beside the sums. */
export type GroupedSumRow = SumRow & Record<string, unknown>;

/**
 * The summary of grouped sum rows (keys g0..g{keys-1}, labelled by `by`): groups sorted for reading, the
 * total summed from the unrounded groups. Shared with the team ledger, whose rows come from PostgreSQL.
 */
export function summarize(by: SpendGroupBy | undefined, keys: number, rows: GroupedSumRow[]): SpendSummary {
  const groups = mergeBy(rows, (row) =>
    by
      ? label(
          by,
          Array.from({ length: keys }, (_, i) => row[`g${i}`]),
        )
      : '',
  ).map(([key, row]): SpendGroup => ({ key, ...totals(row) }));
  // The total sums the unrounded group sums, so rounding happens once (a total of rounded parts drifts).
  const sum = sumOf(rows);
  if (!by) return { ...sum, groups: [] };
  // Days read best in calendar order; everything else by what it cost (known part), then by how much it was used.
  groups.sort(
    by === 'day'
      ? (a, b) => a.key.localeCompare(b.key)
      : (a, b) => b.knownCostUsd - a.knownCostUsd || b.requests - a.requests || a.key.localeCompare(b.key),
  );
  return { ...sum, groups };
}

/** What a series query asks for, checked: its range, whether it is hourly, and the grouping it splits by. */
export function seriesPlan(query: SpendQuery, now = Date.now()): { range: Range; hourly: boolean; split: SpendGroupBy | null } {
  checkBy(query.by);
  const range = queryRange(query, now);
  const hourly = query.bucket === 'hour';
  if (query.bucket !== undefined && query.bucket !== 'day' && !hourly)
    throw new Error(`invalid spend bucket "${String(query.bucket)}": use day or hour`);
  if (hourly && !(Math.min(range.to, now) - range.from <= MAX_HOURLY_MS))
    throw new Error('an hourly spend series covers at most 31 days: give a later `since`');
  return { range, hourly, split: query.by && query.by !== 'day' ? query.by : null };
}

/** Per UTC day (or hour, with `bucket: 'hour'`) over the range, split by `by` (day alone when `by` is absent or `day`). */
export function querySeries(db: Database.Database, query: SpendQuery, now = Date.now()): SpendSeries {
  const { range, hourly, split } = seriesPlan(query, now);
  const cols = ['day', ...(split ? ROLLUP_COLS[split] : [])];
  const { sql, params } = rangeSelect(range, query, cols, [hourly ? HOUR_OF : DAY_OF, ...(split ? RAW_COLS[split] : [])], false, hourly);
  const g = cols.map((_, i) => `g${i}`).join(', ');
  const rows = db.prepare(`SELECT ${g}, ${SUMS} FROM (${sql}) GROUP BY ${g}`).all(...params) as GroupedSumRow[];
  return { by: split, points: seriesPoints(split, cols.length - 1, rows) };
}

/** Series points from sum rows keyed by day (g0) and the split's keys (g1..): merged by label, in day then key order. */
export function seriesPoints(split: SpendGroupBy | null, keys: number, rows: GroupedSumRow[]): SpendPoint[] {
  const keyOf = (row: GroupedSumRow) =>
    split
      ? label(
          split,
          Array.from({ length: keys }, (_, i) => row[`g${i + 1}`]),
        )
      : '';
  const points = mergeBy(rows, (row) => `${String(row.g0)}\0${keyOf(row)}`).map(([k, row]): SpendPoint => {
    const cut = k.indexOf('\0');
    return { day: k.slice(0, cut), key: k.slice(cut + 1), ...totals(row) };
  });
  points.sort((a, b) => a.day.localeCompare(b.day) || a.key.localeCompare(b.key));
  return points;
}

/** The grand total of grouped sum rows. */
function sumOf(rows: SumRow[]): SpendTotals {
  const acc: SumRow = {
    requests: 0,
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    cost_usd: 0,
    unknown_cost: 0,
    estimated: 0,
  };
  for (const row of rows) for (const k of Object.keys(acc) as Array<keyof SumRow>) acc[k] += Number(row[k] ?? 0);
  return totals(acc);
}
