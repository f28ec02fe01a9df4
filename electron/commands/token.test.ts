// `switchboard token` against real settings in a temp data dir, and against a real team database (--ledger).
import fs from 'node:fs';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresCluster } from '../../test/support/postgres';
import { openSettings } from '../engine/settings/settings-store';
import { hashToken, TokenLookup } from '../engine/settings/tokens';
import type { ClientTokenRecord } from '../engine/settings/types';
import { TeamDirectory } from '../engine/team/team-directory';

import { captureIO, type CapturedIO } from './test-io.test-util';
import { run } from './token';

/** The client name the port would find for a presented token, given the stored records. */
const nameFor = (records: ClientTokenRecord[], token: string) => new TokenLookup(records.map((r) => [r.hash, r.name] as const)).get(token);

const ios: CapturedIO[] = [];
function io(dataDir?: string): CapturedIO {
  const created = captureIO({ dataDir });
  ios.push(created);
  return created;
}
afterEach(() => {
  for (const i of ios.splice(0)) i.cleanup();
});

function storedTokens(dataDir: string) {
  const settings = openSettings(dataDir);
  try {
    return settings.read().tokens;
  } finally {
    settings.close();
  }
}

describe('switchboard token', () => {
  it('create prints the token alone on the last line and stores only its hash', async () => {
    const a = io();
    expect(await run(['create', 'cursor'], a)).toBe(0);
    expect(a.out).toHaveLength(2);
    expect(a.out[0]).toMatch(/created token "cursor".*only this once/);
    const token = a.out.at(-1)!;
    expect(token).toMatch(/^sbt_[A-Za-z0-9_-]{43}$/);
    expect(a.err).toEqual([]);

    const tokens = storedTokens(a.dataDir);
    expect(nameFor(tokens, token)).toBe('cursor');
    expect(fs.readFileSync(`${a.dataDir}/settings.json`, 'utf8')).not.toContain(token);
  });

  it('create stores the allowed routes and the monthly budget given as flags', async () => {
    const a = io();
    expect(await run(['create', 'aider', '--allow', 'fast', '--allow', 'acme/m1', '--budget', '12.5'], a)).toBe(0);
    expect(storedTokens(a.dataDir)[0]).toMatchObject({ name: 'aider', allow: ['fast', 'acme/m1'], budgetUsd: 12.5 });
    const b = io();
    expect(await run(['create', 'bad', '--budget', 'lots'], b)).toBe(2);
    expect(b.err.join('\n')).toContain('--budget must be a positive number');
    expect(await run(['list', '--budget', '3'], b)).toBe(2);
  });

  it('create lets a token budget pass models without a known price only when asked, and keeps the name "app" for the app', async () => {
    const a = io();
    expect(await run(['create', 'tool', '--budget', '5', '--allow-unpriced'], a)).toBe(0);
    expect(storedTokens(a.dataDir)[0]).toMatchObject({ name: 'tool', budgetUsd: 5, budgetAllowUnpriced: true });
    const b = io();
    expect(await run(['create', 'other', '--allow-unpriced'], b)).toBe(2);
    expect(b.err.join('\n')).toMatch(/--allow-unpriced goes with --budget/);
    const c = io();
    expect(await run(['create', 'app'], c)).toBe(1);
    expect(c.err.join('\n')).toMatch(/the app's own chat and compare requests are recorded under it/);
  });

  it('refuses a duplicate name (exit 1) and a malformed one (exit 2)', async () => {
    const a = io();
    await run(['create', 'cursor'], a);
    const b = io(a.dataDir);
    expect(await run(['create', 'cursor'], b)).toBe(1);
    expect(b.err.join('\n')).toMatch(/already exists/);
    expect(b.out).toEqual([]);
    const c = io(a.dataDir);
    expect(await run(['create', 'no spaces'], c)).toBe(2);
    expect(c.err.join('\n')).toMatch(/invalid token name "no spaces"/);
    expect(storedTokens(a.dataDir).map((t) => t.name)).toEqual(['cursor']);
  });

  it('lists names, prefixes and dates, never the tokens', async () => {
    const a = io();
    await run(['create', 'cursor'], a);
    await run(['create', 'claude-code'], a);
    const tokens = [a.out[1]!, a.out[3]!];
    const b = io(a.dataDir);
    expect(await run(['list'], b)).toBe(0);
    const text = b.stdoutText();
    expect(b.out[0]).toMatch(/^NAME\s+PREFIX\s+CREATED$/);
    expect(text).toMatch(new RegExp(`cursor\\s+${tokens[0]!.slice(0, 8)}…\\s+\\d{4}-\\d{2}-\\d{2}T`));
    expect(text).toMatch(/claude-code/);
    for (const token of tokens) expect(text).not.toContain(token);

    const c = io(a.dataDir);
    expect(await run(['list', '--json'], c)).toBe(0);
    expect(JSON.parse(c.stdoutText()).map((t: { name: string }) => t.name)).toEqual(['cursor', 'claude-code']);
  });

  it('says so when there are no tokens', async () => {
    const a = io();
    expect(await run(['list'], a)).toBe(0);
    expect(a.stdoutText()).toMatch(/no client tokens yet/);
  });

  it('revokes a token so the gateway index no longer knows it', async () => {
    const a = io();
    await run(['create', 'cursor'], a);
    const token = a.out.at(-1)!;
    const b = io(a.dataDir);
    expect(await run(['revoke', 'cursor'], b)).toBe(0);
    expect(b.out).toEqual(['revoked token "cursor"']);
    expect(nameFor(storedTokens(a.dataDir), token)).toBeUndefined();
    const c = io(a.dataDir);
    expect(await run(['revoke', 'cursor'], c)).toBe(1);
    expect(c.err).toEqual(['switchboard token: no token named "cursor"']);
  });

  it('answers usage mistakes with exit 2', async () => {
    for (const args of [[], ['make'], ['create'], ['revoke'], ['list', 'extra'], ['create', 'a', 'b'], ['list', '--bogus']]) {
      const a = io();
      expect(await run(args, a), args.join(' ')).toBe(2);
      expect(a.err.join('\n')).toMatch(/usage: switchboard token/);
    }
  });
});

describe('switchboard token --ledger (team mode)', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 60_000);
  afterAll(() => cluster?.stop());

  /** A fresh team database with its schema and the given members. */
  async function teamDb(...members: string[]): Promise<string> {
    const url = await cluster.createDatabase();
    const dir = await TeamDirectory.open(url);
    try {
      for (const m of members) await dir.addMember(m);
    } finally {
      await dir.close();
    }
    return url;
  }
  async function rows(url: string, sql: string) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  }

  it('create --member stores the hash in the team database, not in settings, and prints the token last', async () => {
    const url = await teamDb('alice');
    const a = io();
    expect(await run(['create', 'alice-laptop', '--member', 'alice', '--budget', '20', '--ledger', url], a)).toBe(0);
    expect(a.err).toEqual([]);
    expect(a.out[0]).toMatch(/created token "alice-laptop" for member "alice" in the team database; it is shown only this once/);
    const token = a.out.at(-1)!;
    expect(token).toMatch(/^sbt_[A-Za-z0-9_-]{43}$/);
    expect(await rows(url, 'SELECT name, hash, member, budget_usd FROM client_tokens')).toEqual([
      { name: 'alice-laptop', hash: hashToken(token), member: 'alice', budget_usd: 20 },
    ]);
    expect(storedTokens(a.dataDir)).toEqual([]);
  });

  it('takes the database from SWITCHBOARD_LEDGER too, and refuses an unknown member or a taken name', async () => {
    const url = await teamDb();
    const env = { SWITCHBOARD_LEDGER: url };
    const a = captureIO({ env });
    ios.push(a);
    expect(await run(['create', 'ci'], a)).toBe(0);
    const b = captureIO({ env });
    ios.push(b);
    expect(await run(['create', 'ci'], b)).toBe(1);
    expect(b.err).toEqual(['switchboard token: a token named "ci" already exists']);
    expect(await run(['create', 'bob-tool', '--member', 'bob'], b)).toBe(1);
    expect(b.err.at(-1)).toMatch(/no member named "bob" \(add one with: switchboard member add bob\)/);
    expect(b.out).toEqual([]);
  });

  it('list --json shows member and revoked; revoke keeps the row and says so for an unknown or revoked name', async () => {
    const url = await teamDb('alice');
    const a = io();
    await run(['create', 'laptop', '--member', 'alice', '--ledger', url], a);
    await run(['create', 'ci', '--ledger', url], a);
    const b = io();
    expect(await run(['revoke', 'laptop', '--ledger', url], b)).toBe(0);
    expect(b.out[0]).toMatch(/^revoked token "laptop"/);
    expect(await run(['revoke', 'laptop', '--ledger', url], b)).toBe(1);
    expect(b.err.at(-1)).toMatch(/^switchboard token: token "laptop" was already revoked at \d{4}-/);
    expect(await run(['revoke', 'ghost', '--ledger', url], b)).toBe(1);
    expect(b.err.at(-1)).toBe('switchboard token: no token named "ghost"');

    const c = io();
    expect(await run(['list', '--json', '--ledger', url], c)).toBe(0);
    const listed = JSON.parse(c.stdoutText()) as { name: string; member: string | null; revoked: boolean; revokedAt: string | null }[];
    expect(listed.map(({ name, member, revoked }) => ({ name, member, revoked }))).toEqual([
      { name: 'laptop', member: 'alice', revoked: true },
      { name: 'ci', member: null, revoked: false },
    ]);
    expect(listed[0]!.revokedAt).toMatch(/Z$/);
    const d = io();
    expect(await run(['list', '--ledger', url], d)).toBe(0);
    expect(d.out[0]).toMatch(/^NAME\s+PREFIX\s+MEMBER\s+CREATED\s+REVOKED$/);
    expect(d.stdoutText()).toMatch(/laptop\s+sbt_\S+…\s+alice\s+\S+Z\s+\S+Z/);
    expect(d.stdoutText()).toMatch(/ci\s+sbt_\S+…\s+-\s+\S+Z\s+-/);
  });

  it('refuses --member outside team mode, a ledger that is not PostgreSQL, and never prints a database password', async () => {
    const a = io();
    expect(await run(['create', 'x', '--member', 'alice'], a)).toBe(2);
    expect(a.err.join('\n')).toMatch(/--member goes with create in team mode/);
    expect(await run(['list', '--ledger', 'mysql://u:hunter2@h/db'], a)).toBe(2);
    expect(a.err.at(-1)).toMatch(/--ledger must be a PostgreSQL URL/);
    expect(await run(['list', '--ledger', 'postgres://u:hunter2@127.0.0.1:1/db'], a)).toBe(1);
    expect(a.err.at(-1)).toMatch(/cannot use the team database at postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/db: \S/);
    expect(a.err.join('\n')).not.toContain('hunter2');
    expect(storedTokens(a.dataDir)).toEqual([]);
  });
});
