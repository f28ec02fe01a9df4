// Budget rows of the team database: global, per client token or per member, daily or monthly, soft or
// hard, in USD and/or tokens. Validated by the same schema as the budgets in settings, plus `member`.
import { budgetSchema } from '../budgets/types';
import { issueLines } from '../settings/zod-issues';
import { BudgetNotFoundError, FOREIGN_KEY_VIOLATION, InvalidBudgetError, MemberNotFoundError, pgCode } from './team-directory-errors';
import type { Queryable } from './team-directory-sql';
import { checkMemberName } from './team-members';

export interface TeamBudget {
  name: string;
  /** A client token's name; absent (with no member): every request. */
  client?: string;
  /** A member's name: every token of that member together. */
  member?: string;
  period: 'daily' | 'monthly';
  mode: 'soft' | 'hard';
  usd?: number;
  tokens?: number;
  allowUnpriced?: boolean;
}

/** The name `member budget NAME` gives that member's own budget (one per member, set again to change). */
export function memberBudgetName(member: string): string {
  return `member-${member}`;
}

function checkBudget(budget: TeamBudget): TeamBudget {
  const { member, ...rest } = budget;
  const parsed = budgetSchema.safeParse(rest);
  if (!parsed.success) throw new InvalidBudgetError(`invalid budget "${budget.name}": ${issueLines(parsed.error).join('; ')}`);
  if (member === undefined) return parsed.data;
  checkMemberName(member);
  if (parsed.data.client !== undefined)
    throw new InvalidBudgetError(`invalid budget "${budget.name}": it applies to a client or to a member, not both`);
  return { ...parsed.data, member };
}

/** Adds the budget, or replaces the one of the same name. */
export async function setTeamBudget(db: Queryable, budget: TeamBudget): Promise<TeamBudget> {
  const b = checkBudget(budget);
  try {
    await db.query(
      `INSERT INTO budgets (name, client, member, period, mode, usd, tokens, allow_unpriced) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (name) DO UPDATE SET client = excluded.client, member = excluded.member, period = excluded.period,
         mode = excluded.mode, usd = excluded.usd, tokens = excluded.tokens, allow_unpriced = excluded.allow_unpriced`,
      [b.name, b.client ?? null, b.member ?? null, b.period, b.mode, b.usd ?? null, b.tokens ?? null, b.allowUnpriced === true],
    );
  } catch (error) {
    if (pgCode(error) === FOREIGN_KEY_VIOLATION) throw new MemberNotFoundError(b.member!);
    throw error;
  }
  return b;
}

interface BudgetRow {
  name: string;
  client: string | null;
  member: string | null;
  period: 'daily' | 'monthly';
  mode: 'soft' | 'hard';
  usd: number | null;
  tokens: number | null;
  allowUnpriced: boolean;
}

/** A row as a TeamBudget: absent fields absent, as in settings. */
export function budgetFromRow(row: BudgetRow): TeamBudget {
  const budget: TeamBudget = { name: row.name, period: row.period, mode: row.mode };
  if (row.client !== null) budget.client = row.client;
  if (row.member !== null) budget.member = row.member;
  if (row.usd !== null) budget.usd = row.usd;
  if (row.tokens !== null) budget.tokens = row.tokens;
  if (row.allowUnpriced) budget.allowUnpriced = true;
  return budget;
}

export const BUDGET_COLUMNS = `name, client, member, period, mode, usd, tokens, allow_unpriced AS "allowUnpriced"`;

export async function listTeamBudgets(db: Queryable): Promise<TeamBudget[]> {
  const { rows } = await db.query<BudgetRow>(`SELECT ${BUDGET_COLUMNS} FROM budgets ORDER BY name`);
  return rows.map(budgetFromRow);
}

export async function removeTeamBudget(db: Queryable, name: string): Promise<void> {
  const { rowCount } = await db.query('DELETE FROM budgets WHERE name = $1', [name]);
  if (!rowCount) throw new BudgetNotFoundError(name);
}
