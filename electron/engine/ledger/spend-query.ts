// Answers spend queries with SQL aggregates over `requests`: totals, and groups by day/model/provider/client.
import type Database from 'libsql';
import type { SpendGroup, SpendGroupBy, SpendQuery, SpendSummary, SpendTotals } from '../../../shared/types';
import { parseSince } from './since';

/** The SQL expression each grouping keys on. Rows without a value group under '(none)'. */
const GROUP_KEY: Record<SpendGroupBy, string> = {
  day: `strftime('%Y-%m-%d', started_at / 1000, 'unixepoch')`,
  model: `CASE WHEN provider IS NULL THEN '(none)' ELSE provider || '/' || COALESCE(model, '(none)') END`,
  provider: `COALESCE(provider, '(none)')`,
  client: `COALESCE(client, '(none)')`,
};

// SUM ignores NULL, so an unknown cost is left out rather than counted as $0; COALESCE covers no rows.
const AGGREGATES = `COUNT(*) AS requests,
  COALESCE(SUM(input_tokens), 0) AS input_tokens,
  COALESCE(SUM(output_tokens), 0) AS output_tokens,
  COALESCE(SUM(cost_usd), 0) AS cost_usd`;

type AggregateRow = { requests: number; input_tokens: number; output_tokens: number; cost_usd: number };

function totals(row: AggregateRow | undefined): SpendTotals {
  return {
    requests: Number(row?.requests ?? 0),
    inputTokens: Number(row?.input_tokens ?? 0),
    outputTokens: Number(row?.output_tokens ?? 0),
    costUsd: Number(row?.cost_usd ?? 0),
  };
}

export function querySpend(db: Database.Database, query: SpendQuery, now = Date.now()): SpendSummary {
  if (query.by !== undefined && !(query.by in GROUP_KEY)) {
    throw new Error(`invalid spend grouping "${String(query.by)}": use day, model, provider or client`);
  }
  const from = query.since === undefined ? Number.MIN_SAFE_INTEGER : parseSince(query.since, now);
  const summary: SpendSummary = {
    ...totals(db.prepare(`SELECT ${AGGREGATES} FROM requests WHERE started_at >= ?`).get(from) as AggregateRow),
    groups: [],
  };
  if (query.by) {
    // Days read best in calendar order; everything else by what it cost, then by how much it was used.
    const order = query.by === 'day' ? 'key ASC' : 'cost_usd DESC, requests DESC, key ASC';
    const rows = db
      .prepare(`SELECT ${GROUP_KEY[query.by]} AS key, ${AGGREGATES} FROM requests WHERE started_at >= ? GROUP BY key ORDER BY ${order}`)
      .all(from) as Array<AggregateRow & { key: string }>;
    summary.groups = rows.map((row): SpendGroup => ({ key: String(row.key), ...totals(row) }));
  }
  return summary;
}
