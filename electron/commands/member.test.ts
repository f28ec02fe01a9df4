// `switchboard member` against a real team database (a private PostgreSQL cluster), driven as the CLI does.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresCluster } from '../../test/support/postgres';
import { TeamDirectory } from '../engine/team/team-directory';
import { run } from './member';
import { captureIO, type CapturedIO } from './test-io.test-util';
import { run as token } from './token';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(() => cluster?.stop());

const ios: CapturedIO[] = [];
function io(env: NodeJS.ProcessEnv = {}): CapturedIO {
  const created = captureIO({ env });
  ios.push(created);
  return created;
}
afterEach(() => {
  for (const i of ios.splice(0)) i.cleanup();
});

/** What the database holds, read through the store (not through the command under test). */
async function stored(url: string) {
  const dir = await TeamDirectory.open(url);
  try {
    return { members: await dir.listMembers(), budgets: await dir.listBudgets() };
  } finally {
    await dir.close();
  }
}

describe('switchboard member', () => {
  it('adds members, with an email and a budget (hard and monthly unless told otherwise)', async () => {
    const url = await cluster.createDatabase();
    const a = io();
    expect(await run(['add', 'alice', '--email', 'alice@example.com', '--budget', '20', '--ledger', url], a)).toBe(0);
    expect(a.out).toEqual(['added member "alice" <alice@example.com>', 'budget "member-alice": $20 per month, hard']);
    expect(await run(['add', 'bob', '--budget', '1.5', '--period', 'daily', '--soft', '--ledger', url], a)).toBe(0);
    expect(await run(['add', 'carol', '--ledger', url], a)).toBe(0);
    expect(a.err).toEqual([]);
    const { members, budgets } = await stored(url);
    expect(members.map((m) => [m.name, m.email])).toEqual([
      ['alice', 'alice@example.com'],
      ['bob', null],
      ['carol', null],
    ]);
    expect(budgets).toEqual([
      { name: 'member-alice', member: 'alice', period: 'monthly', mode: 'hard', usd: 20 },
      { name: 'member-bob', member: 'bob', period: 'daily', mode: 'soft', usd: 1.5 },
    ]);

    const b = io();
    expect(await run(['add', 'alice', '--ledger', url], b)).toBe(1);
    expect(b.err).toEqual(['switchboard member: a member named "alice" already exists']);
  });

  it('lists members with their live tokens and budgets, as text and as JSON', async () => {
    const url = await cluster.createDatabase();
    const env = { SWITCHBOARD_LEDGER: url };
    const a = io(env);
    await run(['add', 'alice', '--email', 'a@x.io'], a);
    await run(['add', 'bob'], a);
    await run(['budget', 'alice', '--usd', '30', '--tokens', '100000'], a);
    await token(['create', 'alice-laptop', '--member', 'alice'], a);
    await token(['create', 'alice-old', '--member', 'alice'], a);
    await token(['revoke', 'alice-old'], a);
    expect(a.err).toEqual([]);

    const b = io(env);
    expect(await run(['list'], b)).toBe(0);
    expect(b.out[0]).toMatch(/^NAME\s+EMAIL\s+TOKENS\s+BUDGET$/);
    expect(b.out[1]).toMatch(/^alice\s+a@x\.io\s+alice-laptop\s+member-alice: \$30 and 100000 tokens per month, hard$/);
    expect(b.out[2]).toMatch(/^bob\s+-\s+-\s+-$/);

    const c = io(env);
    expect(await run(['list', '--json'], c)).toBe(0);
    const listed = JSON.parse(c.stdoutText()) as { name: string; tokens: { name: string; prefix: string }[]; budgets: unknown[] }[];
    expect(listed.map((m) => [m.name, m.tokens.map((t) => t.name), m.budgets.length])).toEqual([
      ['alice', ['alice-laptop'], 1],
      ['bob', [], 0],
    ]);
    expect(c.stdoutText()).not.toMatch(/hash/);
  });

  it('sets, changes and removes a member budget; refuses one for an unknown member', async () => {
    const url = await cluster.createDatabase();
    const a = io();
    await run(['add', 'alice', '--ledger', url], a);
    expect(await run(['budget', 'alice', '--usd', '10', '--ledger', url], a)).toBe(0);
    expect(a.out.at(-1)).toBe('member "alice": budget "member-alice" set to $10 per month, hard');
    expect(await run(['budget', 'alice', '--usd', '2', '--period', 'daily', '--soft', '--ledger', url], a)).toBe(0);
    expect((await stored(url)).budgets).toEqual([{ name: 'member-alice', member: 'alice', period: 'daily', mode: 'soft', usd: 2 }]);
    expect(await run(['budget', 'alice', '--remove', '--ledger', url], a)).toBe(0);
    expect((await stored(url)).budgets).toEqual([]);
    expect(await run(['budget', 'alice', '--remove', '--ledger', url], a)).toBe(1);
    expect(a.err.at(-1)).toBe('switchboard member: no budget named "member-alice"');
    expect(await run(['budget', 'ghost', '--usd', '5', '--ledger', url], a)).toBe(1);
    expect(a.err.at(-1)).toMatch(/no member named "ghost"/);
  });

  it('removes a member only once its tokens are revoked, and says what went with it', async () => {
    const url = await cluster.createDatabase();
    const a = io();
    await run(['add', 'alice', '--budget', '5', '--ledger', url], a);
    await token(['create', 'alice-laptop', '--member', 'alice', '--ledger', url], a);
    const b = io();
    expect(await run(['remove', 'alice', '--ledger', url], b)).toBe(1);
    expect(b.err[0]).toMatch(/member "alice" still has live tokens \(alice-laptop\): revoke them first/);
    expect((await stored(url)).members).toHaveLength(1);

    await token(['revoke', 'alice-laptop', '--ledger', url], b);
    const c = io();
    expect(await run(['remove', 'alice', '--ledger', url], c)).toBe(0);
    expect(c.out).toEqual([
      'removed member "alice"',
      'removed its budgets: member-alice',
      'its revoked tokens (alice-laptop) no longer name a member; past spend stays counted under it',
    ]);
    expect(await stored(url)).toEqual({ members: [], budgets: [] });
    expect(await run(['remove', 'alice', '--ledger', url], c)).toBe(1);
    expect(c.err.at(-1)).toMatch(/no member named "alice"/);
  });

  it('needs a team database and answers usage mistakes with exit 2', async () => {
    const a = io();
    expect(await run(['list'], a)).toBe(2);
    expect(a.err[0]).toMatch(/members live in the team database: pass --ledger/);
    const url = 'postgres://postgres@127.0.0.1:1/unused';
    for (const args of [
      [],
      ['invite', 'x'],
      ['add'],
      ['list', 'extra'],
      ['remove'],
      ['add', 'a', 'b'],
      ['list', '--email', 'e@x'],
      ['remove', 'a', '--soft'],
      ['add', 'no spaces'],
      ['add', 'a', '--soft'],
      ['add', 'a', '--budget', 'lots'],
      ['budget', 'a'],
      ['budget', 'a', '--usd', '5', '--period', 'weekly'],
      ['budget', 'a', '--tokens', '1.5'],
      ['budget', 'a', '--remove', '--usd', '1'],
      ['list', '--bogus'],
    ]) {
      const b = io();
      expect(await run([...args, '--ledger', url], b), args.join(' ')).toBe(2);
      expect(b.err.join('\n'), args.join(' ')).toMatch(/^(usage: )?switchboard member/);
    }
  });
});
