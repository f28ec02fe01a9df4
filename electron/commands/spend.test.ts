// `switchboard spend` against a real ledger in a temp data dir, and against a team database (a private
// PostgreSQL cluster) with --ledger.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresCluster } from '../../test/support/postgres';
import { requestRow as row } from '../../test/support/request-rows';
import { openLedger } from '../engine/ledger/ledger';
import { openDatabase } from '../engine/team/database';
import { openTeamLedger } from '../engine/team/ledger/team-ledger';
import { run } from './spend';
import { captureIO, type CapturedIO } from './test-io.test-util';

const ios: CapturedIO[] = [];
afterEach(() => {
  for (const i of ios.splice(0)) i.cleanup();
});

/** A data dir whose ledger holds a few requests: two models, one with an unknown price, one old. */
async function seededIO(): Promise<CapturedIO> {
  const io = captureIO();
  ios.push(io);
  const ledger = openLedger(io.dataDir);
  ledger.record(row());
  ledger.record(row({ model: 'gpt-4o', inputTokens: 2000, outputTokens: 500, costUsd: 0.01 }));
  ledger.record(row({ provider: 'local', model: 'llama3', client: null, costUsd: null }));
  ledger.record(row({ startedAt: Date.now() - 30 * 86_400_000, costUsd: 5 }));
  await ledger.close();
  return io;
}

function again(io: CapturedIO): CapturedIO {
  const next = captureIO({ dataDir: io.dataDir });
  return next;
}

describe('switchboard spend', () => {
  it('prints exactly the documented JSON, with no groups unless --by', async () => {
    const io = await seededIO();
    expect(await run(['--since', '7d', '--json'], io)).toBe(0);
    const parsed = JSON.parse(io.stdoutText());
    expect(Object.keys(parsed)).toEqual([
      'requests',
      'inputTokens',
      'outputTokens',
      'costUsd',
      'knownCostUsd',
      'unknownCostRequests',
      'estimatedRequests',
      'groups',
    ]);
    // One request has no price: the total is unknown, with the priced part beside it (never $0.0115 as if complete).
    expect(parsed).toEqual({
      requests: 3,
      inputTokens: 4000,
      outputTokens: 900,
      costUsd: null,
      knownCostUsd: 0.0115,
      unknownCostRequests: 1,
      estimatedRequests: 0,
      groups: [],
    });
  });

  it('groups by model in JSON, a group with an unknown price unknown (null), never $0', async () => {
    const io = await seededIO();
    const next = again(io);
    expect(await run(['--since', '7d', '--by', 'model', '--json'], next)).toBe(0);
    const parsed = JSON.parse(next.stdoutText());
    expect(parsed.groups).toEqual([
      {
        key: 'openai/gpt-4o',
        requests: 1,
        inputTokens: 2000,
        outputTokens: 500,
        costUsd: 0.01,
        knownCostUsd: 0.01,
        unknownCostRequests: 0,
        estimatedRequests: 0,
      },
      {
        key: 'openai/gpt-4o-mini',
        requests: 1,
        inputTokens: 1000,
        outputTokens: 200,
        costUsd: 0.0015,
        knownCostUsd: 0.0015,
        unknownCostRequests: 0,
        estimatedRequests: 0,
      },
      {
        key: 'local/llama3',
        requests: 1,
        inputTokens: 1000,
        outputTokens: 200,
        costUsd: null,
        knownCostUsd: 0,
        unknownCostRequests: 1,
        estimatedRequests: 0,
      },
    ]);
    for (const group of parsed.groups)
      expect(Object.keys(group)).toEqual([
        'key',
        'requests',
        'inputTokens',
        'outputTokens',
        'costUsd',
        'knownCostUsd',
        'unknownCostRequests',
        'estimatedRequests',
      ]);
    // The grouped CSV says the same: an empty cost cell beside the known part.
    const csv = again(io);
    expect(await run(['--since', '7d', '--by', 'model', '--csv'], csv)).toBe(0);
    const lines = csv.stdoutText().split('\n');
    expect(lines[0]).toBe(
      'model,requests,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,reasoning_tokens,cost_usd,known_cost_usd,unknown_cost_requests',
    );
    expect(lines).toContain('local/llama3,1,1000,200,0,0,0,,0,1');
    expect(lines).toContain('openai/gpt-4o-mini,1,1000,200,0,0,0,0.0015,0.0015,0');
  });

  it('prints an aligned table with a total row', async () => {
    const io = await seededIO();
    expect(await run(['--by', 'client'], io)).toBe(0);
    const lines = io.stdoutText().split('\n');
    expect(lines[0]).toMatch(/^spend, all time/);
    const table = lines.slice(1);
    expect(table[0]).toMatch(/^CLIENT\s+REQUESTS\s+INPUT\s+OUTPUT\s+COST$/);
    expect(table.at(-1)).toMatch(/^total\s+4\s+5,000\s+1,100\s+\$5\.01 \+ \?$/);
    expect(table.some((l) => /^\(none\)\s+1\s+1,000\s+200\s+unknown$/.test(l))).toBe(true);
    expect(new Set(table.map((l) => l.length)).size).toBe(1); // every row as wide as the header
  });

  it("shows a small model's sub-cent cost, not $0.0000", async () => {
    const io = captureIO();
    ios.push(io);
    const ledger = openLedger(io.dataDir);
    ledger.record(row({ inputTokens: 7, outputTokens: 12, costUsd: 0.000031 }));
    await ledger.close();
    expect(await run(['--by', 'model'], io)).toBe(0);
    expect(io.stdoutText().split('\n').at(-1)).toMatch(/^total\s+1\s+7\s+12\s+<\$0\.0001$/);
  });

  it('reports an empty ledger as zeros', async () => {
    const io = captureIO();
    ios.push(io);
    expect(await run(['--json', '--by', 'day'], io)).toBe(0);
    expect(JSON.parse(io.stdoutText())).toEqual({
      requests: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      knownCostUsd: 0,
      unknownCostRequests: 0,
      estimatedRequests: 0,
      groups: [],
    });
  });

  it('rejects bad flag values on stderr with exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--by', 'week'], /--by must be one of day, model, provider, client, route, member \(got "week"\)/],
      [['--by', 'member'], /--by member needs a team ledger: pass --ledger postgres:\/\/… \(or set SWITCHBOARD_LEDGER\)/],
      [['--ledger', 'mysql://u:pw@h/db'], /--ledger must be a PostgreSQL URL .*got mysql:\/\/u:\*\*\*@h\/db/],
      [['--since', 'last week'], /--since: invalid since "last week"/],
      [['--since'], /argument missing/],
      [['--bogus'], /Unknown option '--bogus'/],
      [['extra'], /Unexpected argument 'extra'/],
    ];
    for (const [args, message] of cases) {
      const io = captureIO();
      ios.push(io);
      expect(await run(args, io), args.join(' ')).toBe(2);
      expect(io.err.join('\n')).toMatch(message);
      expect(io.out).toEqual([]);
    }
  });
});

describe('switchboard spend --ledger', () => {
  let cluster: PostgresCluster;
  let url: string;

  beforeAll(async () => {
    cluster = await startPostgres();
    url = await cluster.createDatabase();
    // A server instance's rows: alice's two tokens, bob's one, and a token without a member.
    const db = openDatabase(url);
    const server = captureIO();
    ios.push(server);
    try {
      const ledger = await openTeamLedger({ dataDir: server.dataDir, db, instance: 'server', onError: () => {} });
      await db.query("INSERT INTO members (name, email) VALUES ('alice', 'a@example.com'), ('bob', NULL)");
      await db.query(
        `INSERT INTO client_tokens (name, hash, prefix, member) VALUES ('alice-laptop', 'h1', 'p', 'alice'),
           ('alice-ci', 'h2', 'p', 'alice'), ('bob-laptop', 'h3', 'p', 'bob'), ('shared', 'h4', 'p', NULL)`,
      );
      ledger.record(row({ client: 'alice-laptop', costUsd: 0.5 }));
      ledger.record(row({ client: 'alice-ci', costUsd: null }));
      ledger.record(row({ client: 'bob-laptop', costUsd: 0.25 }));
      ledger.record(row({ client: 'shared', costUsd: 0.125 }));
      await ledger.close();
    } finally {
      await db.end();
    }
  }, 60_000);
  afterAll(() => cluster?.stop());

  it("groups by member, an unknown cost unknown, and never ships the reading machine's own rows", async () => {
    const io = await seededIO(); // a laptop with local history: it must stay local
    const next = again(io);
    expect(await run(['--ledger', url, '--by', 'member', '--json'], next), next.err.join('\n')).toBe(0);
    const parsed = JSON.parse(next.stdoutText());
    expect(parsed).toMatchObject({ requests: 4, costUsd: null, knownCostUsd: 0.875, unknownCostRequests: 1 });
    expect(parsed.groups.map((g: { key: string; requests: number; costUsd: number | null }) => [g.key, g.requests, g.costUsd])).toEqual([
      ['alice', 2, null],
      ['bob', 1, 0.25],
      ['(none)', 1, 0.125],
    ]);
    const table = again(io);
    expect(await run(['--by', 'member'], { ...table, env: { SWITCHBOARD_LEDGER: url } })).toBe(0);
    expect(table.stdoutText().split('\n')[1]).toMatch(/^MEMBER\s+REQUESTS/);
    // The other groupings read the team database too.
    const byClient = again(io);
    expect(await run(['--ledger', url, '--by', 'client', '--json'], byClient)).toBe(0);
    expect(JSON.parse(byClient.stdoutText()).groups.map((g: { key: string }) => g.key)).toEqual([
      'alice-laptop',
      'bob-laptop',
      'shared',
      'alice-ci',
    ]);
  });

  it('says the team database is out of reach, naming it without its password', async () => {
    const io = captureIO();
    ios.push(io);
    const down = `postgres://postgres:not-this-secret@127.0.0.1:${cluster.port + 1}/nowhere`;
    expect(await run(['--ledger', down, '--json'], io)).toBe(1);
    const err = io.err.join('\n');
    expect(err).toMatch(/the team ledger database postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/nowhere is unreachable/);
    expect(err).not.toContain('not-this-secret');
    expect(io.out).toEqual([]);
  });
});
