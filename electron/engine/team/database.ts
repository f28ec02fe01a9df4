// Team mode's PostgreSQL connection: one pool per process, opened from a `postgres://` URL, with
// numbers parsed as numbers and the password kept out of every message (the URL is a secret).
import pg from 'pg';

// bigint and numeric arrive as strings by default; sums of token counts and dollars fit a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

import { DatabaseUrlError, isDatabaseUrl, redactDatabaseUrl } from './database-url';

export { DatabaseUrlError, isDatabaseUrl, redactDatabaseUrl } from './database-url';

export interface DatabaseOptions {
  /** Most connections this process holds (the port's writes, reads, reservations and LISTEN). */
  max?: number;
  /** How long a new connection may take before the attempt fails (ms). */
  connectTimeoutMs?: number;
  /** Where a pool-level error (a server going away under an idle connection) is reported. */
  onError?: (error: Error) => void;
}

export type Database = pg.Pool;

export function openDatabase(url: string, options: DatabaseOptions = {}): Database {
  if (!isDatabaseUrl(url))
    throw new DatabaseUrlError(`not a PostgreSQL URL: ${redactDatabaseUrl(url)} (expected postgres://user@host:port/db)`);
  try {
    new URL(url);
  } catch {
    throw new DatabaseUrlError(`cannot parse the database URL ${redactDatabaseUrl(url)}`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 8,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    application_name: 'switchboard',
  });
  // An idle client losing its server emits on the pool; unhandled, that would end the process.
  pool.on('error', (error) => (options.onError ?? ((e: Error) => console.error(`switchboard team database: ${e.message}`)))(error));
  return pool;
}
