// The team ledger's reads over PostgreSQL's `requests` (every instance's rows): the SQLite ledger's
// queries with the same meaning and shapes, built from its pure parts (ranges, filters, labels, totals).
// Each function checks its query at once (a bad `since` throws before any I/O) and returns the read to run.
import type { SpendGroupBy, SpendQuery, SpendRequest, SpendRequestsQuery, SpendSeries, SpendSummary } from '../../../../shared/types';
import { pushClientAndSource } from '../../ledger/app-client';
import { csvFilter, csvHeaderLine, csvRowLine } from '../../ledger/csv';
import { requestsFilter, toSpendRequest } from '../../ledger/requests-query';
import { fromRow, type RequestRow } from '../../ledger/rows';
import { checkBy, queryRange, seriesPlan, seriesPoints, summarize, type GroupedSumRow, type Range } from '../../ledger/spend-query';
import type { RequestRecord } from '../../ledger/types';
import type { Database } from '../database';

export type Read<T> = (db: Database) => Promise<T>;

const AT_UTC = `to_timestamp(started_at / 1000.0) AT TIME ZONE 'UTC'`;
const DAY_OF = `to_char(${AT_UTC}, 'YYYY-MM-DD')`;
const HOUR_OF = `to_char(${AT_UTC}, 'YYYY-MM-DD"T"HH24')`;

/** Group keys per grouping, as the SQLite side's raw-row keys: '' stands for none, clients key with their source. */
const KEYS: Record<SpendGroupBy, string[]> = {
  day: [DAY_OF],
  model: [`COALESCE(provider, '')`, `COALESCE(model, '')`],
  provider: [`COALESCE(provider, '')`],
  client: [`COALESCE(client, '')`, 'source'],
  route: [`COALESCE(route, '')`],
};

// An unknown cost adds nothing to the known sum (SUM skips NULL) and is counted apart, never as $0.
const SUMS = `COUNT(*) AS requests, COALESCE(SUM(input_tokens), 0) AS input_tokens,
  COALESCE(SUM(output_tokens), 0) AS output_tokens, COALESCE(SUM(cache_read_tokens), 0) AS cache_read_tokens,
  COALESCE(SUM(cache_write_tokens), 0) AS cache_write_tokens, COALESCE(SUM(reasoning_tokens), 0) AS reasoning_tokens,
  COALESCE(SUM(cost_usd), 0) AS cost_usd, COUNT(*) FILTER (WHERE cost_usd IS NULL) AS unknown_cost,
  COUNT(*) FILTER (WHERE usage_estimated <> 0) AS estimated`;

/** The SQLite side's `?` placeholders as PostgreSQL's `$1, $2, ...` (our SQL has no `?` in a literal). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** The range and the query's client and source filters, as the SQLite side filters raw rows. */
function spendFilter(range: Range, query: SpendQuery): { where: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  pushClientAndSource(query, where, params);
  if (Number.isFinite(range.from)) {
    where.push('started_at >= ?');
    params.push(range.from);
  }
  if (Number.isFinite(range.to)) {
    where.push('started_at < ?');
    params.push(range.to);
  }
  return { where: where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '', params };
}

/** `SELECT keys AS g0.., sums FROM <from> [WHERE] GROUP BY keys`, run. */
function grouped(keys: string[], from: string, filter: { where: string; params: unknown[] }): Read<GroupedSumRow[]> {
  const cols = keys.map((k, i) => `${k} AS g${i}, `).join('');
  const groupBy = keys.length > 0 ? ` GROUP BY ${keys.map((_, i) => i + 1).join(', ')}` : '';
  const text = numbered(`SELECT ${cols}${SUMS} FROM ${from}${filter.where}${groupBy}`);
  return async (db) => (await db.query<GroupedSumRow>(text, filter.params)).rows;
}

export function spendRead(query: SpendQuery, now = Date.now()): Read<SpendSummary> {
  checkBy(query.by);
  const keys = query.by ? KEYS[query.by] : [];
  const rows = grouped(keys, 'requests', spendFilter(queryRange(query, now), query));
  return async (db) => summarize(query.by, keys.length, await rows(db));
}

/**
 * Spend per member (team mode only): a request belongs to the member its client token belongs to now;
 * requests without one (no token, the app's own, a token with no member) group under '(none)'.
 */
export function spendByMemberRead(query: SpendQuery, now = Date.now()): Read<SpendSummary> {
  const rows = grouped(
    [`COALESCE(t.member, '')`],
    'requests LEFT JOIN client_tokens t ON t.name = requests.client',
    spendFilter(queryRange(query, now), query),
  );
  // Labelled as a provider is (the key itself, '(none)' when empty) and sorted by cost, as every non-day group.
  return async (db) => summarize('provider', 1, await rows(db));
}

export function seriesRead(query: SpendQuery, now = Date.now()): Read<SpendSeries> {
  const { range, hourly, split } = seriesPlan(query, now);
  const keys = [hourly ? HOUR_OF : DAY_OF, ...(split ? KEYS[split] : [])];
  const rows = grouped(keys, 'requests', spendFilter(range, query));
  return async (db) => ({ by: split, points: seriesPoints(split, keys.length - 1, await rows(db)) });
}

// Ties on started_at break by id: PostgreSQL has no insertion order across instances.
export function requestsRead(query: SpendRequestsQuery, now = Date.now()): Read<SpendRequest[]> {
  const { where, params, limit } = requestsFilter(query, now);
  const text = numbered(`SELECT * FROM requests WHERE ${where} ORDER BY started_at DESC, id DESC LIMIT ?`);
  return async (db) => (await db.query<RequestRow>(text, [...params, limit])).rows.map(toSpendRequest);
}

export function recentRead(limit: number): Read<RequestRecord[]> {
  const n = Math.max(0, Math.floor(limit));
  return async (db) =>
    (await db.query<RequestRow>('SELECT * FROM requests ORDER BY started_at DESC, id DESC LIMIT $1', [n])).rows.map(fromRow);
}

/** Rows per round trip of the CSV export. */
const CSV_PAGE = 5_000;

/**
 * The CSV lines (header first). The Ledger contract hands back a synchronous iterable, so the lines are
 * fetched before it resolves, a page at a time by (started_at, id), each page turned into text at once.
 */
export function csvRead(query: SpendQuery, now = Date.now()): Read<Iterable<string>> {
  const { where, params } = csvFilter(query, now);
  const base = `SELECT * FROM requests WHERE ${where}`;
  return async (db) => {
    const lines = [csvHeaderLine()];
    let after: { at: number; id: string } | undefined;
    for (;;) {
      const keyset = after ? ' AND (started_at, id) > (?, ?)' : '';
      const text = numbered(`${base}${keyset} ORDER BY started_at, id LIMIT ?`);
      const page = (await db.query<Record<string, unknown>>(text, [...params, ...(after ? [after.at, after.id] : []), CSV_PAGE])).rows;
      for (const row of page) lines.push(csvRowLine(row));
      if (page.length < CSV_PAGE) return lines;
      const last = page[page.length - 1]!;
      after = { at: Number(last.started_at), id: String(last.id) };
    }
  };
}
