// Copies one batch of local ledger rows into the team database in one transaction: a multi-row INSERT
// that ignores rows already there (a retried batch never counts twice) and the end of their budget holds.
import { COLUMNS, type RequestRow } from '../../ledger/rows';
import type { Database } from '../database';
import { isRowDataError } from './errors';

const TEAM_COLUMNS = [...COLUMNS, 'instance'] as const;

/** Columns PostgreSQL stores as integers: SQLite keeps a fractional duration as REAL, which PostgreSQL refuses. */
const WHOLE = new Set<string>([
  'started_at',
  'http_status',
  'input_tokens',
  'output_tokens',
  'ttft_ms',
  'duration_ms',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_known',
  'usage_estimated',
]);

function values(row: RequestRow, instance: string): unknown[] {
  return TEAM_COLUMNS.map((c) => {
    if (c === 'instance') return instance;
    const v = row[c];
    // Every reader rounds milliseconds the same way (shared/format.ts roundMs), so rounding here changes no answer.
    return WHOLE.has(c) && typeof v === 'number' ? Math.round(v) : v;
  });
}

function insertSql(count: number): string {
  const width = TEAM_COLUMNS.length;
  const tuples = Array.from({ length: count }, (_, r) => `(${TEAM_COLUMNS.map((_, c) => `$${r * width + c + 1}`).join(', ')})`);
  return `INSERT INTO requests (${TEAM_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (id) DO NOTHING`;
}

/** Inserts the rows and ends their holds in one transaction; returns how many rows were new. */
async function insertRows(db: Database, rows: RequestRow[], instance: string): Promise<number> {
  const client = await db.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const inserted = await client.query(
      insertSql(rows.length),
      rows.flatMap((row) => values(row, instance)),
    );
    // A hard budget's hold on a request ends exactly when the request's spend lands.
    await client.query('DELETE FROM budget_holds WHERE request_id = ANY($1::text[])', [rows.map((r) => r.id)]);
    await client.query('COMMIT');
    return inserted.rowCount ?? 0;
  } catch (error) {
    broken = error as Error;
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    // A connection that failed mid-transaction is dropped, not handed to the next caller.
    client.release(broken && !isRowDataError(broken) ? broken : undefined);
  }
}

export interface ShipResult {
  /** Rows the database did not have yet. */
  inserted: number;
  /** Rows the database refused for their values (each reported, never retried: it would block every later row). */
  refused: Array<{ id: string; message: string }>;
}

/**
 * Ships `rows`. A batch refused for one row's values is shipped row by row, so only that row is left
 * out; any other failure (the database is away) throws and the whole batch stays for a retry.
 */
export async function shipRows(db: Database, rows: RequestRow[], instance: string): Promise<ShipResult> {
  try {
    return { inserted: await insertRows(db, rows, instance), refused: [] };
  } catch (error) {
    if (!isRowDataError(error)) throw error;
    if (rows.length === 1) return { inserted: 0, refused: [{ id: rows[0]!.id, message: (error as Error).message }] };
  }
  const result: ShipResult = { inserted: 0, refused: [] };
  for (const row of rows) {
    const one = await shipRows(db, [row], instance);
    result.inserted += one.inserted;
    result.refused.push(...one.refused);
  }
  return result;
}
