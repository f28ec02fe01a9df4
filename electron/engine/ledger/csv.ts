// CSV export of ledger rows over a range (RFC 4180 quoting), one line per client request.
import type Database from 'libsql';
import type { SpendQuery } from '../../../shared/types';
import { queryRange } from './spend-query';

const HEADER = [
  'id', 'started_at', 'source', 'client', 'route', 'provider', 'model', 'status', 'http_status', 'attempts',
  'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens',
  'cost_usd', 'cost_known', 'ttft_ms', 'duration_ms', 'error_message',
];

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Quote anything a spreadsheet could misread; a leading =,+,-,@ is also neutralised against formula injection.
  const safe = /^[=+\-@]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvLine = (cells: unknown[]): string => cells.map(csvCell).join(',');

/** Yields the CSV text line by line (header first), so a million rows never sit in memory at once. */
export function* requestsCsv(db: Database.Database, query: SpendQuery, now = Date.now()): Generator<string> {
  const { from, to } = queryRange(query, now);
  const where = ['started_at >= ?', 'started_at < ?'];
  const params: unknown[] = [Number.isFinite(from) ? from : Number.MIN_SAFE_INTEGER, Number.isFinite(to) ? to : Number.MAX_SAFE_INTEGER];
  if (query.client !== undefined) {
    where.push('client = ?');
    params.push(query.client);
  }
  if (query.source !== undefined) {
    where.push('source = ?');
    params.push(query.source);
  }
  yield csvLine(HEADER);
  const stmt = db.prepare(`SELECT * FROM requests WHERE ${where.join(' AND ')} ORDER BY started_at, rowid`);
  for (const row of stmt.iterate(...params) as Iterable<Record<string, unknown>>) {
    const attempts = (JSON.parse(String(row.attempts)) as unknown[]).length;
    yield csvLine([
      row.id, new Date(Number(row.started_at)).toISOString(), row.source, row.client, row.route, row.provider, row.model,
      row.status, row.http_status, attempts, row.input_tokens, row.output_tokens, row.cache_read_tokens,
      row.cache_write_tokens, row.reasoning_tokens, row.cost_usd, Number(row.cost_known) ? 'yes' : 'no', row.ttft_ms,
      row.duration_ms === null ? null : Math.round(Number(row.duration_ms)), row.error_message,
    ]);
  }
}
