// `switchboard token create NAME | list | revoke NAME`: client tokens for tools that call the local port.
// `create` is the only place a token is ever printed: once, alone on the last line, for scripts to capture.
// With --ledger postgres://… (or SWITCHBOARD_LEDGER) they act on the team database instead of settings.
import { openSettings } from '../engine/settings/settings-store';
import { checkTokenName, createClientToken } from '../engine/settings/tokens';
import { teamLedgerUrl } from '../engine/team/database-url';
import type { TeamDirectory } from '../engine/team/team-directory';
import { checkMemberName } from '../engine/team/team-members';
import { parseCommandArgs, type CommandIO } from './io';
import { runOnTeamDirectory } from './member';

const USAGE = `usage: switchboard token create NAME [--allow ROUTE_OR_MODEL ...] [--budget USD [--allow-unpriced]]
                                       mint a token for a client tool (shown once); --allow limits it to
                                       routes or provider/model ids, --budget caps its spend per month
                                       (refusing models without a known price unless --allow-unpriced)
       switchboard token list          names, prefixes and dates of existing tokens
       switchboard token revoke NAME   stop accepting a token
with --ledger postgres://… (or SWITCHBOARD_LEDGER) they act on the team database: create then takes
--member NAME (an existing member, see switchboard member), list shows members and revoked tokens`;

export async function run(args: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandArgs(io, 'token', USAGE, {
    args,
    options: {
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      allow: { type: 'string', multiple: true },
      budget: { type: 'string' },
      'allow-unpriced': { type: 'boolean' },
      ledger: { type: 'string' },
      member: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (typeof parsed === 'number') return parsed;
  const { positionals, values } = parsed;
  const [action, name, ...extra] = positionals;
  const wantsName = action === 'create' || action === 'revoke';
  if (!action || !['create', 'list', 'revoke'].includes(action) || (wantsName && !name) || (!wantsName && name) || extra.length > 0) {
    io.stderr(USAGE);
    return 2;
  }
  if (name) {
    try {
      checkTokenName(name);
    } catch (error) {
      io.stderr(`switchboard token: ${(error as Error).message}`);
      return 2;
    }
  }

  const budgetUsd = values.budget === undefined ? undefined : Number(values.budget);
  if (budgetUsd !== undefined && !(Number.isFinite(budgetUsd) && budgetUsd > 0)) {
    io.stderr(`switchboard token: --budget must be a positive number of USD (got "${values.budget}")`);
    return 2;
  }
  if (action !== 'create' && (values.allow || values.budget !== undefined || values['allow-unpriced'])) {
    io.stderr(`switchboard token: --allow, --budget and --allow-unpriced go with create\n${USAGE}`);
    return 2;
  }
  if (values['allow-unpriced'] && budgetUsd === undefined) {
    io.stderr('switchboard token: --allow-unpriced goes with --budget (it lets that budget pass models without a known price)');
    return 2;
  }

  let url: string | undefined;
  try {
    url = teamLedgerUrl(values.ledger, io.env);
    if (values.member !== undefined) checkMemberName(values.member);
  } catch (error) {
    io.stderr(`switchboard token: ${(error as Error).message}`);
    return 2;
  }
  if (values.member !== undefined && (action !== 'create' || url === undefined)) {
    io.stderr('switchboard token: --member goes with create in team mode (--ledger postgres://… or SWITCHBOARD_LEDGER)');
    return 2;
  }
  if (url !== undefined)
    return runOnTeamDirectory(url, io, 'token', async (dir) => {
      if (action === 'create')
        return teamCreate(dir, io, name!, {
          member: values.member,
          allow: values.allow,
          budgetUsd,
          budgetAllowUnpriced: values['allow-unpriced'] === true,
        });
      if (action === 'revoke') return teamRevoke(dir, io, name!);
      return teamList(dir, io, values.json === true);
    });

  const settings = openSettings(io.dataDir);
  try {
    if (action === 'create')
      return create(name!, settings, io, { allow: values.allow, budgetUsd, budgetAllowUnpriced: values['allow-unpriced'] === true });
    if (action === 'revoke') return revoke(name!, settings, io);
    return list(settings, io, values.json === true);
  } finally {
    settings.close();
  }
}

type Settings = ReturnType<typeof openSettings>;

function create(
  name: string,
  settings: Settings,
  io: CommandIO,
  limits: { allow?: string[]; budgetUsd?: number; budgetAllowUnpriced?: boolean },
): number {
  try {
    const { token, record } = createClientToken(name, limits);
    settings.addToken(record);
    io.stdout(`created token "${name}"; it is shown only this once, so copy it now:`);
    io.stdout(token);
    return 0;
  } catch (error) {
    io.stderr(`switchboard token: ${(error as Error).message}`);
    return 1;
  }
}

function revoke(name: string, settings: Settings, io: CommandIO): number {
  if (!settings.removeToken(name)) {
    io.stderr(`switchboard token: no token named "${name}"`);
    return 1;
  }
  io.stdout(`revoked token "${name}"`);
  return 0;
}

function list(settings: Settings, io: CommandIO, json: boolean): number {
  const tokens = settings.read().tokens.map(({ name, prefix, createdAt }) => ({ name, prefix, createdAt }));
  if (json) {
    io.stdout(JSON.stringify(tokens, null, 2));
    return 0;
  }
  if (tokens.length === 0) {
    io.stdout('no client tokens yet (create one with: switchboard token create NAME)');
    return 0;
  }
  printTable(io, [['NAME', 'PREFIX', 'CREATED'], ...tokens.map((t) => [t.name, `${t.prefix}…`, t.createdAt])]);
  return 0;
}

async function teamCreate(
  dir: TeamDirectory,
  io: CommandIO,
  name: string,
  options: { member?: string; allow?: string[]; budgetUsd?: number; budgetAllowUnpriced?: boolean },
): Promise<number> {
  const { token } = await dir.createToken(name, options);
  const owner = options.member ? ` for member "${options.member}"` : '';
  io.stdout(`created token "${name}"${owner} in the team database; it is shown only this once, so copy it now:`);
  io.stdout(token);
  return 0;
}

async function teamRevoke(dir: TeamDirectory, io: CommandIO, name: string): Promise<number> {
  await dir.revokeToken(name);
  io.stdout(`revoked token "${name}"; every instance on this database refuses it within a second`);
  return 0;
}

async function teamList(dir: TeamDirectory, io: CommandIO, json: boolean): Promise<number> {
  const tokens = (await dir.listTokens()).map(({ name, prefix, member, createdAt, revokedAt }) => ({
    name,
    prefix,
    member,
    createdAt,
    revoked: revokedAt !== null,
    revokedAt,
  }));
  if (json) {
    io.stdout(JSON.stringify(tokens, null, 2));
    return 0;
  }
  if (tokens.length === 0) {
    io.stdout('no client tokens in the team database yet (create one with: switchboard token create NAME --ledger URL)');
    return 0;
  }
  printTable(io, [
    ['NAME', 'PREFIX', 'MEMBER', 'CREATED', 'REVOKED'],
    ...tokens.map((t) => [t.name, `${t.prefix}…`, t.member ?? '-', t.createdAt, t.revokedAt ?? '-']),
  ]);
  return 0;
}

function printTable(io: CommandIO, rows: string[][]): void {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  for (const row of rows)
    io.stdout(
      row
        .map((cell, col) => cell.padEnd(widths[col]!))
        .join('  ')
        .trimEnd(),
    );
}
