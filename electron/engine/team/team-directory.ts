// The team directory: members, client tokens and budgets in the team database, as one store (for the
// CLI and the admin side) and as a snapshot (what a running instance enforces; directory-watch.ts keeps it fresh).
import { openDatabase, type Database, type DatabaseOptions } from './database';
import { migrateTeamSchema } from './schema';
import { BUDGET_COLUMNS, budgetFromRow, listTeamBudgets, removeTeamBudget, setTeamBudget, type TeamBudget } from './team-directory-budgets';
import { isoText, type Queryable } from './team-directory-sql';
import { addMember, listMembers, removeMember, type TeamMember } from './team-members';
import { createTeamToken, listTeamTokens, revokeTeamToken, type TeamToken, type TeamTokenOptions } from './team-tokens';

export type { TeamBudget } from './team-directory-budgets';
export type { TeamMember, RemovedMember } from './team-members';
export type { TeamToken, TeamTokenInfo, TeamTokenOptions } from './team-tokens';
export { memberBudgetName } from './team-directory-budgets';
export { mergeClientTokens, teamTokenRecord } from './team-tokens';

/** What an instance enforces at one moment: loaded in one statement, so its parts agree with each other. */
export interface TeamSnapshot {
  /** Live tokens only: a revoked token is simply absent. */
  tokens: TeamToken[];
  members: TeamMember[];
  budgets: TeamBudget[];
  /** The member a client token belongs (or belonged, when revoked) to. */
  memberOf(client: string): string | undefined;
}

// One statement, one MVCC snapshot: a token and its member's budget can never come from two moments.
const SNAPSHOT_SQL = `SELECT
  (SELECT COALESCE(json_agg(json_build_object('name', name, 'hash', hash, 'prefix', prefix, 'createdAt', ${isoText('created_at')},
     'revoked', revoked_at IS NOT NULL, 'member', member, 'allow', allow, 'budgetUsd', budget_usd,
     'budgetAllowUnpriced', budget_allow_unpriced) ORDER BY name), '[]') FROM client_tokens) AS tokens,
  (SELECT COALESCE(json_agg(json_build_object('name', name, 'email', email, 'createdAt', ${isoText('created_at')}) ORDER BY name), '[]')
     FROM members) AS members,
  (SELECT COALESCE(json_agg(b ORDER BY b.name), '[]') FROM (SELECT ${BUDGET_COLUMNS} FROM budgets) b) AS budgets`;

export async function loadTeamSnapshot(db: Queryable): Promise<TeamSnapshot> {
  const { rows } = await db.query<{
    tokens: (TeamToken & { revoked: boolean })[];
    members: TeamMember[];
    budgets: Parameters<typeof budgetFromRow>[0][];
  }>(SNAPSHOT_SQL);
  const row = rows[0]!;
  const members = new Map<string, string>();
  const tokens: TeamToken[] = [];
  for (const { revoked, ...token } of row.tokens) {
    if (token.member !== null) members.set(token.name, token.member);
    if (!revoked) tokens.push(token);
  }
  return {
    tokens,
    members: row.members,
    budgets: row.budgets.map(budgetFromRow),
    memberOf: (client) => members.get(client),
  };
}

/** The store over one team database; every refusal is a TeamDirectoryError subclass. */
export class TeamDirectory {
  constructor(readonly db: Database) {}

  /** Opens the database at `url`, brings its schema up to date (or refuses a newer one), and returns the store. */
  static async open(url: string, options: DatabaseOptions = {}): Promise<TeamDirectory> {
    // A command makes a handful of statements: two connections are plenty.
    const db = openDatabase(url, { max: 2, ...options });
    try {
      await migrateTeamSchema(db);
    } catch (error) {
      await db.end().catch(() => {});
      throw error;
    }
    return new TeamDirectory(db);
  }

  addMember(name: string, email?: string) {
    return addMember(this.db, name, email);
  }
  listMembers() {
    return listMembers(this.db);
  }
  removeMember(name: string) {
    return removeMember(this.db, name);
  }
  createToken(name: string, options?: TeamTokenOptions) {
    return createTeamToken(this.db, name, options);
  }
  listTokens() {
    return listTeamTokens(this.db);
  }
  revokeToken(name: string) {
    return revokeTeamToken(this.db, name);
  }
  setBudget(budget: TeamBudget) {
    return setTeamBudget(this.db, budget);
  }
  listBudgets() {
    return listTeamBudgets(this.db);
  }
  removeBudget(name: string) {
    return removeTeamBudget(this.db, name);
  }
  snapshot() {
    return loadTeamSnapshot(this.db);
  }
  /** Ends the pool this store opened (a store over the serve's shared pool is never closed here). */
  close(): Promise<void> {
    return this.db.end();
  }
}

export { describeDatabaseError, teamLedgerUrl } from './database-url';
