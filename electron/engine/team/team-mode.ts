// Team mode's composition: the database pools, the team ledger (local outbox shipped to PostgreSQL),
// the directory of tokens, members and budgets every instance shares (kept fresh by LISTEN), and the
// budget holds; built once by createApp when a postgres:// ledger is given.
import { hostname } from 'node:os';
import type { TeamMemberInfo, TeamStatus } from '../../../shared/types';
import type { SharedTokenStore } from '../services/tokens-service';
import type { ClientTokenRecord } from '../settings/types';
import { openDatabase, redactDatabaseUrl, type Database } from './database';
import { watchTeamDirectory, type TeamWatch } from './directory-watch';
import { openTeamLedger, type TeamLedger } from './ledger/team-ledger';
import { TeamBudgetHolds } from './budget-holds';
import { TeamDatabaseUnreachableError } from './database-url';
import { SchemaTooNewError } from './schema';
import { mergeClientTokens, TeamDirectory, type TeamSnapshot, type TeamTokenInfo } from './team-directory';
import { TokenAlreadyRevokedError, TokenNotFoundError } from './team-directory-errors';
import { monthMembers } from './team-members-view';

export { TeamDatabaseUnreachableError } from './database-url';

export interface TeamMode {
  /** The database URL without its password. */
  readonly database: string;
  readonly instance: string;
  readonly ledger: TeamLedger;
  readonly directory: TeamDirectory;
  readonly holds: TeamBudgetHolds;
  /** The snapshot in force (tokens, members, budgets). */
  snapshot(): TeamSnapshot;
  /** Local settings tokens merged with the team's (the team's win a name clash: spend counts under it everywhere). */
  tokens(local: readonly ClientTokenRecord[]): ClientTokenRecord[];
  /** The tokens the app's Tokens screen creates, lists and revokes: the team's. */
  readonly tokenStore: SharedTokenStore;
  /** What the Team screen shows. */
  status(): TeamStatus;
  members(): Promise<TeamMemberInfo[]>;
  close(): Promise<void>;
}

export interface TeamModeOptions {
  url: string;
  dataDir: string;
  instance?: string;
  /** Called on every directory change (after the first load), synchronously, so a revoke applies at once. */
  onChange: () => void;
  onError?: (error: Error) => void;
}

export async function startTeamMode(options: TeamModeOptions): Promise<TeamMode> {
  const { url } = options;
  const onError = options.onError ?? ((error: Error) => console.error(`switchboard team: ${error.message}`));
  const instance = options.instance ?? `${hostname()}:${process.pid}`;
  const database = redactDatabaseUrl(url);
  // Budget checks get a pool of their own: one waiting on a budget's lock never starves the shipper or reads.
  const db: Database = openDatabase(url, { onError });
  const holdsDb: Database = openDatabase(url, { max: 4, connectTimeoutMs: 3_000, onError });
  const endPools = () => Promise.all([db.end().catch(() => {}), holdsDb.end().catch(() => {})]);

  let ledger: TeamLedger;
  try {
    ledger = await openTeamLedger({ dataDir: options.dataDir, db, instance, url, onError });
  } catch (error) {
    await endPools();
    if (error instanceof SchemaTooNewError) throw error;
    throw new TeamDatabaseUnreachableError(url, error);
  }
  let watch: TeamWatch;
  let started = false;
  const shadowedWarned = new Set<string>();
  try {
    watch = await watchTeamDirectory(db, {
      onChange: () => {
        if (started) options.onChange();
      },
      onError,
    });
  } catch (error) {
    await ledger.close();
    await endPools();
    throw new TeamDatabaseUnreachableError(url, error);
  }
  started = true;
  const directory = new TeamDirectory(db);
  const holds = new TeamBudgetHolds(holdsDb);
  // A finished request holds what it cost, not its worst case, until its row reaches the database.
  const stopSettling = ledger.onRecord((row) => holds.settle(row.id, row.costUsd, row.inputTokens + row.outputTokens));

  return {
    database,
    instance,
    ledger,
    directory,
    holds,
    snapshot: () => watch.current,
    tokens(local) {
      const { tokens, shadowed } = mergeClientTokens(local, watch.current.tokens);
      for (const name of shadowed) {
        if (shadowedWarned.has(name)) continue;
        shadowedWarned.add(name);
        onError(new Error(`the local token "${name}" is shadowed by the team's token of the same name; only the team's is accepted`));
      }
      return tokens;
    },
    tokenStore: {
      async create(request) {
        const { token, info } = await directory.createToken(request.name, {
          ...(request.allow ? { allow: request.allow } : {}),
          ...(request.budgetUsd !== undefined ? { budgetUsd: request.budgetUsd } : {}),
          ...(request.budgetAllowUnpriced ? { budgetAllowUnpriced: true } : {}),
        });
        return { token, record: listing(info) };
      },
      list: async () => (await directory.listTokens()).filter((t) => t.revokedAt === null).map(listing),
      async revoke(name) {
        try {
          await directory.revokeToken(name);
          return true;
        } catch (error) {
          if (error instanceof TokenNotFoundError || error instanceof TokenAlreadyRevokedError) return false;
          throw error;
        }
      },
    },
    status: () => ({ enabled: true, database, instance, outbox: ledger.outbox() }),
    members: () => monthMembers(directory, ledger, watch.current),
    async close() {
      stopSettling();
      await watch.close();
      await ledger.close();
      await endPools();
    },
  };
}

/** A team token as the Tokens screen lists it. */
function listing(t: TeamTokenInfo): Omit<ClientTokenRecord, 'hash'> {
  return {
    name: t.name,
    prefix: t.prefix,
    createdAt: t.createdAt,
    ...(t.allow && t.allow.length > 0 ? { allow: [...t.allow] } : {}),
    ...(t.budgetUsd !== null ? { budgetUsd: t.budgetUsd } : {}),
    ...(t.budgetAllowUnpriced ? { budgetAllowUnpriced: true } : {}),
  };
}
