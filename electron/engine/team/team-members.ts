// Members of a team gateway in PostgreSQL: the people tokens belong to, so spend and budgets can be
// counted per person across all of that person's tools.
import type { Database } from './database';
import { InvalidMemberError, MemberExistsError, MemberHasTokensError, MemberNotFoundError } from './team-directory-errors';
import { isoText, type Queryable } from './team-directory-sql';

export interface TeamMember {
  name: string;
  email: string | null;
  createdAt: string;
}

// The same shape as a token name: a member shows up in spend reports and in budget names (`member-NAME`).
const memberNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_NAME = 64;
const emailPattern = /^[^\s@]+@[^\s@]+$/;

/** Throws InvalidMemberError when `name` cannot name a member. */
export function checkMemberName(name: string): void {
  if (!memberNamePattern.test(name) || name.length > MAX_NAME)
    throw new InvalidMemberError(
      `invalid member name "${name}": start with a letter or digit, then letters, digits, ".", "_" or "-" (at most ${MAX_NAME})`,
    );
}

function checkEmail(email: string): void {
  if (!emailPattern.test(email) || email.length > 254) throw new InvalidMemberError(`invalid email "${email}": expected name@domain`);
}

export async function addMember(db: Queryable, name: string, email?: string): Promise<TeamMember> {
  checkMemberName(name);
  if (email !== undefined) checkEmail(email);
  const { rows } = await db.query<TeamMember>(
    `INSERT INTO members (name, email) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING
     RETURNING name, email, ${isoText('created_at')} AS "createdAt"`,
    [name, email ?? null],
  );
  if (rows.length === 0) throw new MemberExistsError(name);
  return rows[0]!;
}

export async function listMembers(db: Queryable): Promise<TeamMember[]> {
  const { rows } = await db.query<TeamMember>(`SELECT name, email, ${isoText('created_at')} AS "createdAt" FROM members ORDER BY name`);
  return rows;
}

export interface RemovedMember {
  name: string;
  /** The member's own budgets (rows with member = name), removed with it. */
  budgets: string[];
  /** Its revoked tokens, which no longer name a member (their past spend stays in the member's totals). */
  detachedTokens: string[];
}

/**
 * Removes a member, refusing while it has live tokens. In one transaction it also removes the member's
 * budgets and detaches its revoked tokens: the schema's foreign keys allow nothing else, and the spend
 * totals already counted under `member:NAME` stay as they were.
 */
export async function removeMember(db: Database, name: string): Promise<RemovedMember> {
  checkMemberName(name);
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    // Locking the member's row orders this against a token being created for it (its foreign key
    // check takes a share lock on the same row), so no live token can slip in after the check.
    const found = await client.query('SELECT 1 FROM members WHERE name = $1 FOR UPDATE', [name]);
    if (found.rowCount === 0) throw new MemberNotFoundError(name);
    const live = await client.query<{ name: string }>(
      'SELECT name FROM client_tokens WHERE member = $1 AND revoked_at IS NULL ORDER BY name',
      [name],
    );
    if (live.rows.length > 0)
      throw new MemberHasTokensError(
        name,
        live.rows.map((r) => r.name),
      );
    const budgets = await client.query<{ name: string }>('DELETE FROM budgets WHERE member = $1 RETURNING name', [name]);
    const detached = await client.query<{ name: string }>('UPDATE client_tokens SET member = NULL WHERE member = $1 RETURNING name', [
      name,
    ]);
    await client.query('DELETE FROM members WHERE name = $1', [name]);
    await client.query('COMMIT');
    return {
      name,
      budgets: budgets.rows.map((r) => r.name).sort(),
      detachedTokens: detached.rows.map((r) => r.name).sort(),
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
