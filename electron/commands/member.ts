// `switchboard member add | list | remove | budget`: the people of a team gateway, in its team database
// (--ledger postgres://… or SWITCHBOARD_LEDGER). Members own tokens; spend and budgets count per member.
import { redactDatabaseUrl } from '../engine/team/database';
import { SchemaTooNewError } from '../engine/team/schema';
import { describeDatabaseError, memberBudgetName, TeamDirectory, teamLedgerUrl, type TeamBudget } from '../engine/team/team-directory';
import { TeamDirectoryError } from '../engine/team/team-directory-errors';
import { checkMemberName } from '../engine/team/team-members';
import { parseCommandArgs, type CommandIO } from './io';

const USAGE = `usage: switchboard member add NAME [--email E] [--budget USD [--period daily|monthly] [--soft]]
                                       add a team member, optionally with its own budget
                                       (hard and monthly unless --period / --soft say otherwise)
       switchboard member list [--json]  members, their live tokens and budgets
       switchboard member remove NAME    remove a member (refused while it has live tokens)
       switchboard member budget NAME --usd N [--tokens N] [--period daily|monthly] [--soft]
                                       set the member's budget across all its tokens (a hard monthly one by default)
       switchboard member budget NAME --remove
every member command needs --ledger postgres://… (or SWITCHBOARD_LEDGER): members live in the team database`;

/** Which flags each action takes; any other is a usage mistake. */
const FLAGS: Record<string, string[]> = {
  add: ['email', 'budget', 'period', 'soft'],
  list: ['json'],
  remove: [],
  budget: ['usd', 'tokens', 'period', 'soft', 'remove'],
};

export async function run(args: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandArgs(io, 'member', USAGE, {
    args,
    options: {
      ledger: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      email: { type: 'string' },
      budget: { type: 'string' },
      usd: { type: 'string' },
      tokens: { type: 'string' },
      period: { type: 'string' },
      soft: { type: 'boolean' },
      remove: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (typeof parsed === 'number') return parsed;
  const { positionals, values } = parsed;
  const [action, name, ...extra] = positionals;
  const allowed = action === undefined ? undefined : FLAGS[action];
  if (!allowed || (action === 'list') !== (name === undefined) || extra.length > 0) {
    io.stderr(USAGE);
    return 2;
  }
  const fail = (message: string) => (io.stderr(`switchboard member: ${message}`), 2);
  const stray = Object.keys(values).filter((k) => k !== 'ledger' && k !== 'help' && !allowed.includes(k));
  if (stray.length > 0) return fail(`--${stray[0]} does not go with "member ${action}"\n${USAGE}`);

  let url: string | undefined;
  try {
    if (name !== undefined) checkMemberName(name);
    url = teamLedgerUrl(values.ledger, io.env);
  } catch (error) {
    return fail((error as Error).message);
  }
  if (url === undefined) return fail('members live in the team database: pass --ledger postgres://… or set SWITCHBOARD_LEDGER');

  let budget: Omit<TeamBudget, 'name' | 'member'> | undefined;
  if (action === 'add' || action === 'budget') {
    const limit = budgetFlags(action, values);
    if (typeof limit === 'string') return fail(limit);
    budget = limit;
  }
  return runOnTeamDirectory(url, io, 'member', async (dir) => {
    if (action === 'add') return add(dir, io, name!, values.email, budget);
    if (action === 'remove') return remove(dir, io, name!);
    if (action === 'budget') return setBudget(dir, io, name!, budget);
    return list(dir, io, values.json === true);
  });
}

/** The budget the flags describe (undefined: none, or `--remove`), or what is wrong with them. */
function budgetFlags(
  action: 'add' | 'budget',
  values: { budget?: string; usd?: string; tokens?: string; period?: string; soft?: boolean; remove?: boolean },
): Omit<TeamBudget, 'name' | 'member'> | undefined | string {
  const usdFlag = action === 'add' ? values.budget : values.usd;
  const usdName = action === 'add' ? '--budget' : '--usd';
  if (values.remove) return usdFlag !== undefined || values.tokens || values.period || values.soft ? '--remove goes alone' : undefined;
  if (usdFlag === undefined && values.tokens === undefined) {
    if (action === 'budget') return 'member budget needs --usd N and/or --tokens N (or --remove)';
    return values.period || values.soft ? '--period and --soft go with --budget' : undefined;
  }
  const usd = usdFlag === undefined ? undefined : Number(usdFlag);
  if (usd !== undefined && !(Number.isFinite(usd) && usd > 0)) return `${usdName} must be a positive number of USD (got "${usdFlag}")`;
  const tokens = values.tokens === undefined ? undefined : Number(values.tokens);
  if (tokens !== undefined && !(Number.isInteger(tokens) && tokens > 0))
    return `--tokens must be a positive whole number (got "${values.tokens}")`;
  const period = values.period ?? 'monthly';
  if (period !== 'daily' && period !== 'monthly') return `--period must be daily or monthly (got "${period}")`;
  return {
    period,
    mode: values.soft ? 'soft' : 'hard',
    ...(usd !== undefined ? { usd } : {}),
    ...(tokens !== undefined ? { tokens } : {}),
  };
}

/**
 * Opens the team database for one command, runs `work`, closes it. Refusals (a TeamDirectoryError, a
 * schema too new) and an unreachable database are exit 1 with one line; the URL is shown redacted.
 */
export async function runOnTeamDirectory(
  url: string,
  io: CommandIO,
  command: string,
  work: (dir: TeamDirectory) => Promise<number>,
): Promise<number> {
  let dir: TeamDirectory;
  try {
    dir = await TeamDirectory.open(url, { connectTimeoutMs: 10_000, onError: () => {} });
  } catch (error) {
    if (error instanceof SchemaTooNewError) io.stderr(`switchboard ${command}: ${error.message}`);
    else io.stderr(`switchboard ${command}: cannot use the team database at ${redactDatabaseUrl(url)}: ${describeDatabaseError(error)}`);
    return 1;
  }
  try {
    return await work(dir);
  } catch (error) {
    // A token name the settings rules refuse (createClientToken) is a plain Error, as in settings mode.
    const known = error instanceof TeamDirectoryError || !(error as { code?: unknown }).code;
    io.stderr(`switchboard ${command}: ${known ? (error as Error).message : `team database: ${describeDatabaseError(error)}`}`);
    return 1;
  } finally {
    await dir.close().catch(() => {});
  }
}

/** `$20 and 50000 tokens per month, hard`. */
function describeBudget(b: Omit<TeamBudget, 'name'>): string {
  const limits = [b.usd !== undefined ? `$${b.usd}` : '', b.tokens !== undefined ? `${b.tokens} tokens` : ''].filter(Boolean);
  return `${limits.join(' and ')} per ${b.period === 'daily' ? 'day' : 'month'}, ${b.mode}`;
}

async function add(
  dir: TeamDirectory,
  io: CommandIO,
  name: string,
  email: string | undefined,
  budget: Omit<TeamBudget, 'name' | 'member'> | undefined,
): Promise<number> {
  await dir.addMember(name, email);
  io.stdout(`added member "${name}"${email ? ` <${email}>` : ''}`);
  if (budget) {
    const set = await dir.setBudget({ ...budget, name: memberBudgetName(name), member: name });
    io.stdout(`budget "${set.name}": ${describeBudget(set)}`);
  }
  return 0;
}

async function remove(dir: TeamDirectory, io: CommandIO, name: string): Promise<number> {
  const removed = await dir.removeMember(name);
  io.stdout(`removed member "${name}"`);
  if (removed.budgets.length > 0) io.stdout(`removed its budgets: ${removed.budgets.join(', ')}`);
  if (removed.detachedTokens.length > 0)
    io.stdout(`its revoked tokens (${removed.detachedTokens.join(', ')}) no longer name a member; past spend stays counted under it`);
  return 0;
}

async function setBudget(dir: TeamDirectory, io: CommandIO, name: string, budget: Omit<TeamBudget, 'name' | 'member'> | undefined) {
  const budgetName = memberBudgetName(name);
  if (!budget) {
    await dir.removeBudget(budgetName);
    io.stdout(`removed budget "${budgetName}" of member "${name}"`);
    return 0;
  }
  const set = await dir.setBudget({ ...budget, name: budgetName, member: name });
  io.stdout(`member "${name}": budget "${set.name}" set to ${describeBudget(set)}`);
  return 0;
}

async function list(dir: TeamDirectory, io: CommandIO, json: boolean): Promise<number> {
  const [members, tokens, budgets] = await Promise.all([dir.listMembers(), dir.listTokens(), dir.listBudgets()]);
  const rows = members.map((m) => ({
    ...m,
    tokens: tokens
      .filter((t) => t.member === m.name && t.revokedAt === null)
      .map(({ name, prefix, createdAt }) => ({ name, prefix, createdAt })),
    budgets: budgets.filter((b) => b.member === m.name),
  }));
  if (json) {
    io.stdout(JSON.stringify(rows, null, 2));
    return 0;
  }
  if (rows.length === 0) {
    io.stdout('no members yet (add one with: switchboard member add NAME --ledger URL)');
    return 0;
  }
  const table = [
    ['NAME', 'EMAIL', 'TOKENS', 'BUDGET'],
    ...rows.map((r) => [
      r.name,
      r.email ?? '-',
      r.tokens.map((t) => t.name).join(', ') || '-',
      r.budgets.map((b) => `${b.name}: ${describeBudget(b)}`).join('; ') || '-',
    ]),
  ];
  const widths = table[0]!.map((_, col) => Math.max(...table.map((r) => r[col]!.length)));
  for (const row of table)
    io.stdout(
      row
        .map((cell, col) => cell.padEnd(widths[col]!))
        .join('  ')
        .trimEnd(),
    );
  return 0;
}
