// Client tokens kept in the team database: minted and hashed exactly as settings/tokens.ts does, named
// uniquely across the team, revoked by a timestamp (the row stays, so past spend keeps its member).
import { createClientToken } from '../settings/tokens';
import type { ClientTokenRecord } from '../settings/types';
import {
  FOREIGN_KEY_VIOLATION,
  InvalidBudgetError,
  MemberNotFoundError,
  pgCode,
  TokenAlreadyRevokedError,
  TokenExistsError,
  TokenNotFoundError,
} from './team-directory-errors';
import { isoText, type Queryable } from './team-directory-sql';
import { checkMemberName } from './team-members';

/** A token as lists show it: never the token, never its hash. */
export interface TeamTokenInfo {
  name: string;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  member: string | null;
  /** Route names or `provider/model` ids it may use; null: all. */
  allow: string[] | null;
  /** Hard monthly USD budget of this token alone. */
  budgetUsd: number | null;
  budgetAllowUnpriced: boolean;
}

/** A live token as the port checks it (a snapshot entry). */
export interface TeamToken extends Omit<TeamTokenInfo, 'revokedAt'> {
  hash: string;
}

export interface TeamTokenOptions {
  member?: string;
  allow?: string[];
  budgetUsd?: number;
  budgetAllowUnpriced?: boolean;
}

const INFO_COLUMNS = `name, prefix, ${isoText('created_at')} AS "createdAt", ${isoText('revoked_at')} AS "revokedAt", member, allow,
  budget_usd AS "budgetUsd", budget_allow_unpriced AS "budgetAllowUnpriced"`;

/** Mints a token for the team; the token is returned here once and stored only as its hash. */
export async function createTeamToken(
  db: Queryable,
  name: string,
  options: TeamTokenOptions = {},
): Promise<{ token: string; info: TeamTokenInfo }> {
  if (options.member !== undefined) checkMemberName(options.member);
  if (options.budgetUsd !== undefined && !(Number.isFinite(options.budgetUsd) && options.budgetUsd > 0))
    throw new InvalidBudgetError(`a token's budget must be a positive number of USD (got ${options.budgetUsd})`);
  const { token, record } = createClientToken(name, options);
  let rows: TeamTokenInfo[];
  try {
    ({ rows } = await db.query<TeamTokenInfo>(
      `INSERT INTO client_tokens (name, hash, prefix, member, allow, budget_usd, budget_allow_unpriced)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO NOTHING RETURNING ${INFO_COLUMNS}`,
      [
        record.name,
        record.hash,
        record.prefix,
        options.member ?? null,
        record.allow ?? null,
        record.budgetUsd ?? null,
        record.budgetAllowUnpriced === true,
      ],
    ));
  } catch (error) {
    if (pgCode(error) === FOREIGN_KEY_VIOLATION) throw new MemberNotFoundError(options.member!);
    throw error;
  }
  if (rows.length === 0) {
    const existing = await db.query<{ revoked: boolean }>('SELECT revoked_at IS NOT NULL AS revoked FROM client_tokens WHERE name = $1', [
      name,
    ]);
    throw new TokenExistsError(name, existing.rows[0]?.revoked === true);
  }
  return { token, info: rows[0]! };
}

/** Every token, revoked ones included, by name. */
export async function listTeamTokens(db: Queryable): Promise<TeamTokenInfo[]> {
  const { rows } = await db.query<TeamTokenInfo>(`SELECT ${INFO_COLUMNS} FROM client_tokens ORDER BY created_at, name`);
  return rows;
}

/** Stops accepting a token everywhere (the NOTIFY trigger tells every instance); the row stays. */
export async function revokeTeamToken(db: Queryable, name: string): Promise<TeamTokenInfo> {
  const { rows } = await db.query<TeamTokenInfo>(
    `UPDATE client_tokens SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL RETURNING ${INFO_COLUMNS}`,
    [name],
  );
  if (rows.length > 0) return rows[0]!;
  const existing = await db.query<{ revokedAt: string }>(
    `SELECT ${isoText('revoked_at')} AS "revokedAt" FROM client_tokens WHERE name = $1`,
    [name],
  );
  if (existing.rows.length === 0) throw new TokenNotFoundError(name);
  throw new TokenAlreadyRevokedError(name, existing.rows[0]!.revokedAt);
}

/** A team token as the settings record the port's TokenLookup and clientAccessFor already take. */
export function teamTokenRecord(token: TeamToken): ClientTokenRecord {
  const record: ClientTokenRecord = { name: token.name, hash: token.hash, prefix: token.prefix, createdAt: token.createdAt };
  if (token.allow && token.allow.length > 0) record.allow = [...token.allow];
  if (token.budgetUsd !== null) record.budgetUsd = token.budgetUsd;
  if (token.budgetAllowUnpriced) record.budgetAllowUnpriced = true;
  return record;
}

/**
 * The tokens a team instance accepts: the team's, plus this machine's settings tokens whose names the
 * team does not use. On a clash the team's token wins (its name is what spend and budgets count under
 * across instances); the local one is returned in `shadowed` so the caller can warn.
 */
export function mergeClientTokens(
  local: readonly ClientTokenRecord[],
  team: readonly TeamToken[],
): { tokens: ClientTokenRecord[]; shadowed: string[] } {
  const tokens = team.map(teamTokenRecord);
  const teamNames = new Set(team.map((t) => t.name));
  const shadowed: string[] = [];
  for (const record of local) {
    if (teamNames.has(record.name)) shadowed.push(record.name);
    else tokens.push(record);
  }
  return { tokens, shadowed };
}
