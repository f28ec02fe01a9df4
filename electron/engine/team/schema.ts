// Team mode's PostgreSQL schema: migrations applied in order, once, under an advisory lock, by
// whichever instance starts first; a database a newer Switchboard migrated is refused, not guessed at.
import type { Database } from './database';

/** A database whose schema is newer than this binary knows (an older binary must not write to it). */
export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
}

/** The advisory lock key every instance takes while migrating ("sbschema" as a number). */
const MIGRATION_LOCK = 0x7362736368656d61n;

/**
 * Each entry moves the schema up one version. Append only: never edit a migration that shipped.
 * Columns of `requests` mirror the SQLite ledger's (electron/engine/ledger/rows.ts), so a row crosses
 * unchanged; `attempts` stays JSON text for the same reason.
 */
export const TEAM_MIGRATIONS: string[] = [
  `CREATE TABLE members (
     name TEXT PRIMARY KEY,
     email TEXT,
     created_at TIMESTAMPTZ NOT NULL DEFAULT now()
   );
   -- Revoked tokens stay (revoked_at set), so past spend still groups by their member.
   CREATE TABLE client_tokens (
     name TEXT PRIMARY KEY,
     hash TEXT NOT NULL UNIQUE,
     prefix TEXT NOT NULL,
     created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
     revoked_at TIMESTAMPTZ,
     member TEXT REFERENCES members (name),
     allow TEXT[],
     budget_usd DOUBLE PRECISION,
     budget_allow_unpriced BOOLEAN NOT NULL DEFAULT false
   );
   CREATE TABLE budgets (
     name TEXT PRIMARY KEY,
     client TEXT,
     member TEXT REFERENCES members (name),
     period TEXT NOT NULL CHECK (period IN ('daily', 'monthly')),
     mode TEXT NOT NULL CHECK (mode IN ('soft', 'hard')),
     usd DOUBLE PRECISION,
     tokens BIGINT,
     allow_unpriced BOOLEAN NOT NULL DEFAULT false,
     CHECK (usd IS NOT NULL OR tokens IS NOT NULL),
     CHECK (client IS NULL OR member IS NULL)
   );
   CREATE TABLE requests (
     id TEXT PRIMARY KEY,
     started_at BIGINT NOT NULL,
     source TEXT NOT NULL,
     client TEXT,
     route TEXT,
     provider TEXT,
     model TEXT,
     status TEXT NOT NULL,
     http_status INTEGER NOT NULL,
     error_message TEXT,
     attempts TEXT NOT NULL,
     input_tokens BIGINT NOT NULL,
     output_tokens BIGINT NOT NULL,
     cost_usd DOUBLE PRECISION,
     ttft_ms INTEGER,
     duration_ms INTEGER NOT NULL,
     cache_read_tokens BIGINT NOT NULL DEFAULT 0,
     cache_write_tokens BIGINT NOT NULL DEFAULT 0,
     reasoning_tokens BIGINT NOT NULL DEFAULT 0,
     cost_known INTEGER NOT NULL DEFAULT 1,
     requested_model TEXT,
     usage_estimated INTEGER NOT NULL DEFAULT 0,
     -- Which instance recorded the row (its --instance name or host:pid), for doctor and debugging.
     instance TEXT
   );
   CREATE INDEX requests_started_at ON requests (started_at);
   CREATE INDEX requests_client_started_at ON requests (client, started_at);
   -- A hard budget's hold on a request in flight, taken atomically across instances and removed in the
   -- transaction that writes the request's row (or when it expires: an instance died holding it).
   CREATE TABLE budget_holds (
     request_id TEXT PRIMARY KEY,
     client TEXT,
     usd DOUBLE PRECISION NOT NULL,
     tokens BIGINT NOT NULL,
     held_at BIGINT NOT NULL,
     expires_at BIGINT NOT NULL
   );
   -- Running totals per budget scope and UTC period, kept by the trigger below in the transaction that
   -- inserts the rows: a budget check reads a few rows, never a month of requests. scope: '*' (everyone), 'client:NAME', 'member:NAME'; period: '2026-11-30'
   -- (a day) or '2026-11' (a month). The member is the token's member when the row is inserted.
   CREATE TABLE spend_totals (
     scope TEXT NOT NULL,
     period TEXT NOT NULL,
     usd DOUBLE PRECISION NOT NULL DEFAULT 0,
     unknown_cost INTEGER NOT NULL DEFAULT 0,
     tokens BIGINT NOT NULL DEFAULT 0,
     PRIMARY KEY (scope, period)
   );
   -- Once per INSERT statement, over the rows it inserted (a row skipped by ON CONFLICT DO NOTHING is not in
   -- new_rows): a batch of hundreds of rows makes one upsert per scope and period, not several per row.
   CREATE FUNCTION switchboard_count_spend() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO spend_totals AS t (scope, period, usd, unknown_cost, tokens)
       SELECT s.scope, p.period, SUM(COALESCE(n.cost_usd, 0)), SUM(CASE WHEN n.cost_usd IS NULL THEN 1 ELSE 0 END),
              SUM(n.input_tokens + n.output_tokens)
       FROM new_rows n
       LEFT JOIN client_tokens ct ON ct.name = n.client
       CROSS JOIN LATERAL (VALUES ('*'), ('client:' || n.client), ('member:' || ct.member)) AS s (scope)
       CROSS JOIN LATERAL (SELECT to_timestamp(n.started_at / 1000.0) AT TIME ZONE 'UTC' AS at) AS u
       CROSS JOIN LATERAL (VALUES (to_char(u.at, 'YYYY-MM-DD')), (to_char(u.at, 'YYYY-MM'))) AS p (period)
       WHERE s.scope IS NOT NULL
       GROUP BY s.scope, p.period
       ON CONFLICT (scope, period) DO UPDATE SET usd = t.usd + excluded.usd,
         unknown_cost = t.unknown_cost + excluded.unknown_cost, tokens = t.tokens + excluded.tokens;
     RETURN NULL;
   END $$;
   CREATE TRIGGER requests_count_spend AFTER INSERT ON requests REFERENCING NEW TABLE AS new_rows
     FOR EACH STATEMENT EXECUTE FUNCTION switchboard_count_spend();
   -- Every instance LISTENs here: a token created or revoked anywhere is seen everywhere at once.
   CREATE FUNCTION switchboard_tokens_changed() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     PERFORM pg_notify('switchboard_tokens', '');
     RETURN NULL;
   END $$;
   CREATE TRIGGER client_tokens_changed AFTER INSERT OR UPDATE OR DELETE ON client_tokens
     FOR EACH STATEMENT EXECUTE FUNCTION switchboard_tokens_changed();
   CREATE TRIGGER budgets_changed AFTER INSERT OR UPDATE OR DELETE ON budgets
     FOR EACH STATEMENT EXECUTE FUNCTION switchboard_tokens_changed();
   CREATE TRIGGER members_changed AFTER INSERT OR UPDATE OR DELETE ON members
     FOR EACH STATEMENT EXECUTE FUNCTION switchboard_tokens_changed();`,
];

/** The channel NOTIFY'd on every change to tokens, members or budgets. */
export const TEAM_CHANGES_CHANNEL = 'switchboard_tokens';

/** Brings the schema up to date (no-op when it is); throws SchemaTooNewError for a newer one. Returns the version. */
export async function migrateTeamSchema(db: Database, known: readonly string[] = TEAM_MIGRATIONS): Promise<number> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    // Instances starting together: the first migrates, the others wait here and then find nothing to do.
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
    await client.query('CREATE TABLE IF NOT EXISTS switchboard_schema (version INTEGER NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM switchboard_schema');
    let version = rows[0]?.version ?? 0;
    if (rows.length === 0) await client.query('INSERT INTO switchboard_schema (version) VALUES (0)');
    if (version > known.length) {
      throw new SchemaTooNewError(
        `the team database is at schema version ${version}, newer than this Switchboard knows (${known.length}): upgrade Switchboard on this machine before pointing it at that database`,
      );
    }
    for (; version < known.length; version++) await client.query(known[version]!);
    await client.query('UPDATE switchboard_schema SET version = $1', [version]);
    await client.query('COMMIT');
    return version;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
