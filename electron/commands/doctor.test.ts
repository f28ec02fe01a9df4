// `switchboard doctor`, `key list|test` and `spend --csv` against temp data dirs, a real keychain
// (where the session has one) and fake upstreams on loopback.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIFake, type OpenAIFake } from '../../test/fakes/openai-fake';
import { startPostgres, type PostgresCluster } from '../../test/support/postgres';
import { openLedger } from '../engine/ledger/ledger';
import { openDatabase } from '../engine/team/database';
import { openTeamLedger } from '../engine/team/ledger/team-ledger';
import { migrateTeamSchema, TEAM_MIGRATIONS } from '../engine/team/schema';
import { openSettings } from '../engine/settings/settings-store';
import { parseConfig } from '../engine/settings/config-schema';
import { runWithoutKeychain } from '../engine/vault/without-keychain.test-util';
import { run as doctor } from './doctor';
import { run as key } from './key';
import { run as spend } from './spend';
import { captureIO, type CapturedIO } from './test-io.test-util';

let good: OpenAIFake;
const ios: CapturedIO[] = [];
const GOOD = 'sk-doctor-good-0123456789abcd';

beforeAll(async () => {
  good = await startOpenAIFake({ apiKey: GOOD, models: ['m1'] });
});
afterAll(async () => {
  for (const i of ios.splice(0)) i.cleanup();
  await good.close();
});

function seeded(env: NodeJS.ProcessEnv): CapturedIO {
  const io = captureIO({ env });
  ios.push(io);
  const settings = openSettings(io.dataDir);
  settings.seed(
    parseConfig({
      providers: [
        { id: 'good', kind: 'openai-compatible', baseUrl: good.url, keys: [{ env: 'GOOD_KEY' }] },
        { id: 'wrong', kind: 'openai-compatible', baseUrl: good.url, keys: [{ env: 'WRONG_KEY' }] },
        { id: 'down', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', keys: [{ env: 'GOOD_KEY' }] },
      ],
    }),
  );
  settings.close();
  return io;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('switchboard doctor', () => {
  it('checks data dir, settings, ledger, port and each provider, naming what is wrong', async () => {
    const io = seeded({ GOOD_KEY: GOOD, WRONG_KEY: 'sk-doctor-wrong-0123456789' });
    const port = await freePort();
    const code = await doctor(['--port', String(port)], io);
    const text = io.stdoutText();
    expect(text).toMatch(/^ok {4}data dir: .* is writable$/m);
    expect(text).toMatch(/^ok {4}settings: .*3 providers/m);
    expect(text).toMatch(/^ok {4}ledger: .*0 requests recorded/m);
    expect(text).toMatch(new RegExp(`^ok {4}port: 127\\.0\\.0\\.1:${port} is free$`, 'm'));
    expect(text).toMatch(/^ok {4}provider good: sk-…abcd: good accepted the key \(200/m);
    expect(text).toMatch(/^FAIL {2}provider wrong: sk-…6789: the key was refused: 401 Incorrect API key provided\./m);
    expect(text).toMatch(/^FAIL {2}provider down: .*cannot reach http:\/\/127\.0\.0\.1:9/m);
    expect(text).not.toContain(GOOD);
    expect(code).toBe(1);
  });

  it('reports a port in use', async () => {
    const io = captureIO();
    ios.push(io);
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const { port } = busy.address() as { port: number };
    await doctor(['--port', String(port)], io);
    busy.close();
    expect(io.stdoutText()).toMatch(new RegExp(`^FAIL {2}port: 127\\.0\\.0\\.1:${port} is in use`, 'm'));
  });

  it('says what to install, or to use env keys, when there is no keychain', () => {
    const result = runWithoutKeychain(`
      import { run } from '../../commands/doctor';
      const out: string[] = [];
      const dir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'sb-doc-'));
      run(['--port', '1'], { stdout: (s) => out.push(s), stderr: (s) => out.push(s), stdin: async () => '', env: {}, dataDir: dir })
        .then((code) => console.log(JSON.stringify({ code, out })));
    `);
    const { code, out } = JSON.parse(result.stdout) as { code: number; out: string[] };
    expect(code).toBe(1);
    expect(out.join('\n')).toMatch(
      /^FAIL {2}keychain: The OS keychain is not available .*gnome-keyring or KWallet.*\{ "env": "OPENAI_API_KEY" \}/m,
    );
  });
});

describe('switchboard doctor --ledger', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 60_000);
  afterAll(() => cluster?.stop());

  const row = (id: string, startedAt: number) => ({
    id,
    startedAt,
    source: 'port' as const,
    client: 'cursor',
    route: null,
    provider: 'openai',
    model: 'gpt-4o',
    status: 'ok' as const,
    httpStatus: 200,
    attempts: [],
    inputTokens: 100,
    outputTokens: 10,
    costUsd: 0.5,
    ttftMs: 1,
    durationMs: 2,
  });

  it('checks the database and its schema, and says which local rows wait to ship', async () => {
    const url = await cluster.createDatabase();
    const io = captureIO({ env: { SWITCHBOARD_LEDGER: url } });
    ios.push(io);
    // Rows recorded here before this data dir ever shipped: they wait, the oldest for a day.
    const local = openLedger(io.dataDir);
    local.record(row('old', Date.now() - 86_400_000));
    local.record(row('new', Date.now()));
    await local.close();
    await doctor(['--port', String(await freePort())], io);
    const redacted = url.replace(/\./g, '\\.');
    expect(io.stdoutText()).toMatch(new RegExp(`^ok {4}team ledger: ${redacted} is reachable$`, 'm'));
    expect(io.stdoutText()).toMatch(/^ok {4}team schema: version 0; the next `switchboard serve --ledger` brings it to 1$/m);
    expect(io.stdoutText()).toMatch(
      /^FAIL {2}team outbox: 2 request rows recorded here wait to ship to .*, the oldest for 86\d{3} s; they stay on disk/m,
    );

    // A server on this data dir ships them (and migrates); then nothing waits.
    const db = openDatabase(url);
    const team = await openTeamLedger({ dataDir: io.dataDir, db, instance: 'doctor', onError: () => {} });
    await team.shipped();
    await team.close();
    await db.end();
    const after = captureIO({ env: { SWITCHBOARD_LEDGER: url }, dataDir: io.dataDir });
    await doctor(['--port', String(await freePort())], after);
    expect(after.stdoutText()).toMatch(
      new RegExp(`^ok {4}team schema: version ${TEAM_MIGRATIONS.length}, as this Switchboard expects$`, 'm'),
    );
    expect(after.stdoutText()).toMatch(/^ok {4}team outbox: no row waits to ship/m);
  });

  it('refuses a newer schema and names an unreachable database without its password', async () => {
    const url = await cluster.createDatabase();
    const db = openDatabase(url);
    await migrateTeamSchema(db, [...TEAM_MIGRATIONS, 'SELECT 1']);
    await db.end();
    const io = captureIO();
    ios.push(io);
    expect(await doctor(['--ledger', url, '--port', String(await freePort())], io)).toBe(1);
    expect(io.stdoutText()).toMatch(/^FAIL {2}team schema: version 2, newer than this Switchboard knows \(1\): upgrade Switchboard/m);

    const down = captureIO();
    ios.push(down);
    const secret = `postgres://postgres:doctor-secret-pw@127.0.0.1:${cluster.port + 1}/nowhere`;
    expect(await doctor(['--ledger', secret, '--port', String(await freePort())], down)).toBe(1);
    expect(down.stdoutText()).toMatch(
      /^FAIL {2}team ledger: postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/nowhere is unreachable: .*ECONNREFUSED/m,
    );
    expect(down.stdoutText()).not.toContain('doctor-secret-pw');
  });
});

describe('switchboard key list and test', () => {
  it('lists keys masked with where they live, and tests one live', async () => {
    const io = seeded({ GOOD_KEY: GOOD });
    expect(await key(['list'], io)).toBe(0);
    expect(io.out).toContain('good  GOOD_KEY  env GOOD_KEY  sk-…abcd');
    expect(io.out).toContain('wrong  WRONG_KEY  env WRONG_KEY  (missing)');
    expect(await key(['test', 'good'], io)).toBe(0);
    expect(io.out.at(-1)).toMatch(/^good \(GOOD_KEY sk-…abcd\): good accepted the key/);
    expect(await key(['test', 'wrong'], io)).toBe(1);
    expect(io.err.at(-1)).toMatch(/no key "WRONG_KEY" for provider "wrong"/);
    expect(await key(['test', 'nope'], io)).toBe(1);
    expect(io.stdoutText() + io.err.join('\n')).not.toContain(GOOD);
  });
});

describe('switchboard spend --csv', () => {
  it('prints requests as CSV, or groups with --by, over --since/--until', async () => {
    const io = captureIO();
    ios.push(io);
    const ledger = openLedger(io.dataDir);
    const base = {
      source: 'port' as const,
      client: 'cursor',
      route: 'fast',
      provider: 'openai',
      model: 'gpt-4o',
      status: 'ok' as const,
      httpStatus: 200,
      attempts: [],
      inputTokens: 100,
      outputTokens: 10,
      ttftMs: 1,
      durationMs: 2,
    };
    ledger.record({ ...base, id: 'a', startedAt: Date.UTC(2025, 0, 1, 12), costUsd: 0.5 });
    ledger.record({ ...base, id: 'b', startedAt: Date.UTC(2025, 0, 2, 12), costUsd: null, route: null });
    ledger.record({ ...base, id: 'c', startedAt: Date.UTC(2025, 0, 3, 12), costUsd: 1 });
    await ledger.close();
    expect(await spend(['--csv', '--since', '2025-01-01', '--until', '2025-01-03'], io)).toBe(0);
    expect(io.out).toHaveLength(3);
    expect(io.out[1]).toMatch(/^a,2025-01-01T12:00:00\.000Z,port,cursor,fast,openai,gpt-4o,ok,200,0,100,10,0,0,0,0\.5,yes,/);
    expect(io.out[2]).toMatch(/^b,.*,,no,/);
    io.out.length = 0;
    expect(await spend(['--csv', '--by', 'route'], io)).toBe(0);
    expect(io.out).toEqual([
      'route,requests,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,reasoning_tokens,cost_usd,known_cost_usd,unknown_cost_requests',
      'fast,2,200,20,0,0,0,1.5,1.5,0',
      // An unknown cost is an empty cell, never 0; the known part beside it.
      '(none),1,100,10,0,0,0,,0,1',
    ]);
    expect(await spend(['--csv', '--json'], io)).toBe(2);
  });
});
