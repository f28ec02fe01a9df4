// Copies one batch of local ledger rows into the team database in one transaction: one INSERT of the
// batch (sent as JSON) that ignores rows already there (a retried batch never counts twice), and the end
// of their budget holds.
import { COLUMNS } from '../../ledger/rows';
import type { Database } from '../database';
import { isRowDataError } from './errors';

/** Each column's type in the team schema (schema.ts), for the cast from the JSON text PostgreSQL reads it from. */
const TYPES: Record<(typeof COLUMNS)[number], string> = {
  id: 'text',
  started_at: 'bigint',
  source: 'text',
  client: 'text',
  route: 'text',
  provider: 'text',
  model: 'text',
  status: 'text',
  http_status: 'integer',
  error_message: 'text',
  attempts: 'text',
  input_tokens: 'bigint',
  output_tokens: 'bigint',
  cost_usd: 'double precision',
  ttft_ms: 'integer',
  duration_ms: 'integer',
  cache_read_tokens: 'bigint',
  cache_write_tokens: 'bigint',
  reasoning_tokens: 'bigint',
  cost_known: 'integer',
  requested_model: 'text',
  usage_estimated: 'integer',
};

/** Columns PostgreSQL stores as integers: SQLite keeps a fractional duration as REAL, which PostgreSQL refuses. */
const WHOLE = COLUMNS.flatMap((c, i) => (TYPES[c] === 'integer' || TYPES[c] === 'bigint' ? [i] : []));

/**
 * The whole batch is one parameter, a JSON array of the rows' value arrays, which PostgreSQL takes
 * apart: binding 23 parameters per row cost the port's thread far more than one string (and JSON keeps
 * a double's shortest text, which PostgreSQL reads back to the same double).
 */
const INSERT_SQL = `INSERT INTO requests (${COLUMNS.join(', ')}, instance)
  SELECT ${COLUMNS.map((c, i) => (TYPES[c] === 'text' ? `r->>${i}` : `(r->>${i})::${TYPES[c]}`)).join(', ')}, $2
  FROM jsonb_array_elements($1::jsonb) AS r
  ON CONFLICT (id) DO NOTHING`;

/**
 * The batch as the INSERT's JSON, whole-number columns rounded in place (the rows are the outbox's, read
 * for this shipment alone; a retry rounds them again to the same values). Every reader rounds
 * milliseconds the same way (shared/format.ts roundMs), so rounding here changes no answer.
 */
function batchJson(rows: unknown[][]): string {
  for (const row of rows)
    for (const i of WHOLE) {
      const v = row[i];
      if (typeof v === 'number') row[i] = Math.round(v);
    }
  return JSON.stringify(rows);
}

/** Inserts the rows and ends their holds in one transaction; returns how many rows were new. */
async function insertRows(db: Database, rows: unknown[][], instance: string): Promise<number> {
  const client = await db.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const inserted = await client.query(INSERT_SQL, [batchJson(rows), instance]);
    // A hard budget's hold on a request ends exactly when the request's spend lands.
    await client.query('DELETE FROM budget_holds WHERE request_id = ANY($1::text[])', [rows.map((r) => r[0])]);
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
export async function shipRows(db: Database, rows: unknown[][], instance: string): Promise<ShipResult> {
  try {
    return { inserted: await insertRows(db, rows, instance), refused: [] };
  } catch (error) {
    if (!isRowDataError(error)) throw error;
    if (rows.length === 1) return { inserted: 0, refused: [{ id: String(rows[0]![0]), message: (error as Error).message }] };
  }
  const result: ShipResult = { inserted: 0, refused: [] };
  for (const row of rows) {
    const one = await shipRows(db, [row], instance);
    result.inserted += one.inserted;
    result.refused.push(...one.refused);
  }
  return result;
}
