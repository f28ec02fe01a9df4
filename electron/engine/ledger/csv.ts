// CSV export of ledger rows over a range (RFC 4180 quoting), one line per client request. Money and
// durations follow the shared rounding rule (6 decimals, whole ms); an unknown cost is an empty cell.
import type Database from 'libsql';
import { roundMsOrNull, roundUsdOrNull } from '../../../shared/format';
import type { SpendQuery } from '../../../shared/types';
import { clientOf, pushClientAndSource } from './app-client';
import { queryRange } from './spend-query';

const HEADER = [
  'id',
  'started_at',
  'source',
  'client',
  'route',
  'provider',
  'model',
  'status',
  'http_status',
  'attempts',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_usd',
  'cost_known',
  'ttft_ms',
  'duration_ms',
  'error_message',
  // Appended (v4), so scripts reading the columns by position keep working: tokens_estimated says the token
  // figures (and the cost) are estimates, the upstream having reported none.
  'requested_model',
  'tokens_estimated',
];

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Quote anything a spreadsheet could misread; a leading =,+,-,@ is also neutralised against formula injection.
  const safe = /^[=+\-@]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvLine = (cells: unknown[]): string => cells.map(csvCell).join(',');

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Yields the CSV text line by line (header first), so a million rows never sit in memory at once. */
export function* requestsCsv(db: Database.Database, query: SpendQuery, now = Date.now()): Generator<string> {
  const { where, params } = csvFilter(query, now);
  yield csvLine(HEADER);
  const stmt = db.prepare(`SELECT * FROM requests WHERE ${where} ORDER BY started_at, rowid`);
  for (const row of stmt.iterate(...params) as Iterable<Record<string, unknown>>) yield csvRowLine(row);
}

/** The header line of the requests CSV. */
export const csvHeaderLine = (): string => csvLine(HEADER);

/** The export's WHERE clause (`?` parameters, in order); shared with the team ledger. */
export function csvFilter(query: SpendQuery, now = Date.now()): { where: string; params: unknown[] } {
  const { from, to } = queryRange(query, now);
  const where = ['started_at >= ?', 'started_at < ?'];
  const params: unknown[] = [Number.isFinite(from) ? from : Number.MIN_SAFE_INTEGER, Number.isFinite(to) ? to : Number.MAX_SAFE_INTEGER];
  pushClientAndSource(query, where, params);
  return { where: where.join(' AND '), params };
}

/** One stored `requests` row as a CSV line. */
export function csvRowLine(row: Record<string, unknown>): string {
  const attempts = (JSON.parse(String(row.attempts)) as unknown[]).length;
  return csvLine([
    row.id,
    new Date(Number(row.started_at)).toISOString(),
    row.source,
    clientOf(row.client as string | null, String(row.source)),
    row.route,
    row.provider,
    row.model,
    row.status,
    row.http_status,
    attempts,
    row.input_tokens,
    row.output_tokens,
    row.cache_read_tokens,
    row.cache_write_tokens,
    row.reasoning_tokens,
    roundUsdOrNull(num(row.cost_usd)),
    Number(row.cost_known) ? 'yes' : 'no',
    roundMsOrNull(num(row.ttft_ms)),
    roundMsOrNull(num(row.duration_ms)),
    row.error_message,
    row.requested_model,
    Number(row.usage_estimated) ? 'yes' : 'no',
  ]);
}
