// Opens the ledger a CLI command reads: the local SQLite ledger of a data dir, or, given a PostgreSQL
// URL (`--ledger`, SWITCHBOARD_LEDGER), the team database's reads with a small pool of their own.
import { openLedger } from './ledger';
import type { LedgerReads, TeamReads } from '../team/ledger/reader';

export interface OpenedLedger {
  ledger: LedgerReads;
  /** The team database's reads when the URL named one (for team-only reads such as spend by member). */
  team: TeamReads | null;
  close(): Promise<void>;
}

/**
 * A command that only reads never ships: with a URL, this machine's local rows (a desktop's own history)
 * stay where they are, and a server sharing the data dir keeps its outbox to itself. The schema is
 * migrated as any instance would (and a newer one refused: SchemaTooNewError). Throws DatabaseUrlError
 * for a URL that is not postgres://, TeamLedgerUnavailableError when the database is out of reach.
 */
export async function openLedgerAt(dataDir: string, ledgerUrl?: string): Promise<OpenedLedger> {
  if (!ledgerUrl) {
    const ledger = openLedger(dataDir);
    return { ledger, team: null, close: () => ledger.close() };
  }
  // Loaded only in team mode: a desktop CLI never loads pg.
  const { openDatabase, redactDatabaseUrl } = await import('../team/database');
  const { migrateTeamSchema, SchemaTooNewError } = await import('../team/schema');
  const { teamReads } = await import('../team/ledger/reader');
  const { isConnectionError, scrubbed, TeamLedgerUnavailableError } = await import('../team/ledger/errors');
  // A CLI run is short: few connections, and a quick answer when the database is away.
  const db = openDatabase(ledgerUrl, { max: 2, connectTimeoutMs: 5_000, onError: () => {} });
  try {
    await migrateTeamSchema(db);
  } catch (error) {
    await db.end().catch(() => {});
    if (error instanceof SchemaTooNewError || !isConnectionError(error)) throw error;
    throw new TeamLedgerUnavailableError(redactDatabaseUrl(ledgerUrl), scrubbed((error as Error).message, ledgerUrl));
  }
  const team = teamReads(db, ledgerUrl);
  return { ledger: team, team, close: () => db.end() };
}
