// The team ledger's read side alone: spend, series, CSV, requests and recent rows straight from
// PostgreSQL, for commands that record nothing (`spend --ledger`, `doctor`) and so must ship nothing.
import type { SpendQuery, SpendSummary } from '../../../../shared/types';
import type { Ledger } from '../../ledger/types';
import { redactDatabaseUrl, type Database } from '../database';
import { isConnectionError, scrubbed, TeamLedgerUnavailableError } from './errors';
import { csvRead, recentRead, requestsRead, seriesRead, spendByMemberRead, spendRead, type Read } from './queries';

/** What a ledger answers (the Ledger interface's reads). */
export type LedgerReads = Pick<Ledger, 'spend' | 'series' | 'csv' | 'requests' | 'recent'>;

export interface TeamReads extends LedgerReads {
  /** Spend grouped by member (a token's member; '(none)' for requests without one). */
  spendByMember(query: SpendQuery): Promise<SpendSummary>;
}

/**
 * The reads over `db`. `before` runs ahead of each read (the team ledger waits there for its own rows
 * to ship); each query is checked first, so a bad `since` rejects at once, before anything waits.
 */
export function teamReads(db: Database, url: string, before: () => Promise<void> = async () => {}): TeamReads {
  const database = redactDatabaseUrl(url);
  async function read<T>(run: Read<T>): Promise<T> {
    await before();
    try {
      return await run(db);
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      throw new TeamLedgerUnavailableError(database, scrubbed((error as Error).message, url));
    }
  }
  return {
    spend: async (query) => read(spendRead(query)),
    series: async (query) => read(seriesRead(query)),
    csv: async (query) => read(csvRead(query)),
    requests: async (query) => read(requestsRead(query)),
    recent: async (limit) => read(recentRead(limit)),
    spendByMember: async (query) => read(spendByMemberRead(query)),
  };
}

/** The URL behind a pool, for messages (redacted) and outbox keys. */
export function urlOf(db: Database, given?: string): string {
  if (given) return given;
  const o = db.options;
  return o.connectionString ?? `postgres://${o.user ?? ''}@${o.host ?? 'localhost'}:${o.port ?? 5432}/${o.database ?? ''}`;
}
