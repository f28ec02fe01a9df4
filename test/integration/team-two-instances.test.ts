// Team mode with two real `switchboard serve` processes on one PostgreSQL database: a token created on
// one works on the other, a burst split over both never spends past a tiny hard budget, a token revoked
// on one is refused by the other within a second, and SIGKILL of one mid-load leaves the other serving
// and, once the killed one is back (as a service manager restarts it), every answered request in the
// team ledger exactly once; and with PostgreSQL stopped for 10 s under load both keep answering, and
// every row arrives once it is back.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { rpc } from '../e2e/helpers/app-rpc';
import { assertBuilt, runCli, startServeProcess, type ServeProcess } from '../support/cli';
import { startPostgres, type PostgresCluster } from '../support/postgres';

let cluster: PostgresCluster;
let fake: OpenAIFake;
let dbUrl: string;
let db: pg.Pool;
const dirs: string[] = [];
const serves: ServeProcess[] = [];

/** $0.001 per token each way: a 4-token prompt and a 1-token reply cost $0.005. */
const PRICE = { input: 1000, output: 1000 };

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-team-'));
  dirs.push(dir);
  return dir;
}

async function serve(dir: string, instance: string): Promise<ServeProcess> {
  const s = await startServeProcess(
    ['--data-dir', dir, '--config', join(dirs[0]!, 'config.json'), '--ledger', dbUrl, '--instance', instance],
    {
      TEAM_KEY: 'team-key',
    },
  );
  serves.push(s);
  return s;
}

function chat(s: ServeProcess, token: string, options: { stream?: boolean } = {}): Promise<Response> {
  return fetch(`${s.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'acme/m1', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }], stream: options.stream ?? false }),
  });
}

/** Waits (bounded) until the team ledger holds `ids`, and returns how many rows each id has. */
async function rowsFor(ids: string[], timeoutMs = 20_000): Promise<Map<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query<{ id: string; n: number }>(
      'SELECT id, COUNT(*)::int AS n FROM requests WHERE id = ANY($1) GROUP BY id',
      [ids],
    );
    const found = new Map(rows.map((r) => [r.id, r.n]));
    if (found.size === ids.length || Date.now() > deadline) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  assertBuilt();
  cluster = await startPostgres();
  dbUrl = await cluster.createDatabase();
  db = new pg.Pool({ connectionString: dbUrl, max: 2 });
  // The outage test stops the server under this pool's idle connections: they end, and say so here.
  db.on('error', () => {});
  fake = await startOpenAIFake({ reply: 'ok', chunks: 1, apiKey: 'team-key', models: ['m1'], record: false });
  const configDir = dataDir();
  writeFileSync(
    join(configDir, 'config.json'),
    JSON.stringify({
      providers: [
        { id: 'acme', kind: 'openai-compatible', baseUrl: fake.url, keys: [{ env: 'TEAM_KEY' }], models: [{ id: 'm1', price: PRICE }] },
      ],
    }),
  );
}, 60_000);

afterAll(async () => {
  for (const s of serves) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  await db?.end();
  await fake?.close();
  cluster?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('two instances on one team database', () => {
  let a: ServeProcess;
  let b: ServeProcess;

  it('share tokens: created on one, accepted by the other; revoked on one, refused by the other within 1 s', async () => {
    a = await serve(dataDir(), 'a');
    b = await serve(dataDir(), 'b');
    expect(a.lines.join('\n')).toMatch(/team ledger: postgres:\/\/postgres@127\.0\.0\.1:\d+\/\w+ \(this instance: a\)/);

    const created = await rpc<{ token: string }>(a, 'tokens', 'create', { name: 'alice-laptop' });
    const deadline = Date.now() + 1_000;
    let res = await chat(b, created.token);
    while (res.status === 401 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      res = await chat(b, created.token);
    }
    expect(res.status).toBe(200);

    await rpc(a, 'tokens', 'revoke', 'alice-laptop');
    const revokedAt = Date.now();
    let refusedAfter = Infinity;
    while (Date.now() - revokedAt < 3_000) {
      const r = await chat(b, created.token);
      await r.arrayBuffer();
      if (r.status === 401) {
        refusedAfter = Date.now() - revokedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(refusedAfter).toBeLessThan(1_000);
  }, 60_000);

  it('split a burst of 50 over both on a tiny hard budget and spend at most the budget', async () => {
    const budgetUsd = 0.05;
    const created = await runCli(['token', 'create', 'burst', '--budget', String(budgetUsd), '--ledger', dbUrl, '--data-dir', dirs[0]!]);
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim().split('\n').at(-1)!;
    // Both instances see the token (and its budget) before the burst.
    for (const s of [a, b]) {
      const deadline = Date.now() + 2_000;
      let r = await chat(s, token);
      while (r.status === 401 && Date.now() < deadline) {
        await new Promise((done) => setTimeout(done, 50));
        r = await chat(s, token);
      }
      await r.arrayBuffer();
      expect(r.status).toBe(200);
    }
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => chat(i % 2 === 0 ? a : b, token)));
    const statuses = responses.map((r) => r.status);
    const ok = responses.filter((r) => r.status === 200).map((r) => r.headers.get('x-request-id')!);
    await Promise.all(responses.map((r) => r.arrayBuffer()));
    expect(
      statuses.every((s) => s === 200 || s === 402),
      `statuses: ${statuses.join(',')}`,
    ).toBe(true);
    expect(statuses.filter((s) => s === 402).length).toBeGreaterThan(0);
    const found = await rowsFor(ok);
    expect(found.size).toBe(ok.length);
    const { rows } = await db.query<{ usd: number; n: number }>(
      "SELECT COALESCE(SUM(cost_usd), 0) AS usd, COUNT(*)::int AS n FROM requests WHERE client = 'burst' AND status = 'ok'",
    );
    expect(rows[0]!.usd).toBeLessThanOrEqual(budgetUsd + 1e-9);
    expect(rows[0]!.usd).toBeGreaterThan(0);
  }, 60_000);

  it('SIGKILL of one mid-load leaves the other serving; after its restart every answered request is in the ledger once', async () => {
    const created = await runCli(['token', 'create', 'loadgen', '--ledger', dbUrl, '--data-dir', dirs[0]!]);
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim().split('\n').at(-1)!;
    await new Promise((r) => setTimeout(r, 500));
    const answered: string[] = [];
    let stop = false;
    const load = async (s: ServeProcess) => {
      for (let i = 0; i < 400 && !stop; i++) {
        try {
          const res = await chat(s, token, { stream: true });
          const text = await res.text();
          if (res.status === 200 && text.includes('[DONE]')) answered.push(res.headers.get('x-request-id')!);
        } catch {
          if (s === a) return; // the killed instance's connections fail: expected
        }
      }
    };
    const loads = [load(a), load(a), load(b), load(b)];
    await new Promise((r) => setTimeout(r, 1_000));
    const aDir = dirs[1]!;
    a.child.kill('SIGKILL');
    const killedAt = Date.now();
    // The survivor keeps answering after the kill.
    await new Promise((r) => setTimeout(r, 500));
    const after = await chat(b, token);
    expect(after.status).toBe(200);
    await after.arrayBuffer();
    stop = true;
    await Promise.all(loads);
    expect(answered.length).toBeGreaterThan(10);
    // A service manager restarts the killed one on its own data dir: what it answered before the kill ships.
    a = await serve(aDir, 'a');
    const found = await rowsFor(answered, 30_000);
    const missing = answered.filter((id) => !found.has(id));
    expect(missing, `answered but not in the team ledger (kill at ${killedAt})`).toEqual([]);
    expect([...found.values()].every((n) => n === 1)).toBe(true);
  }, 90_000);

  it('keep answering while PostgreSQL is down for 10 s; the rows queue on disk and all arrive once it is back, none twice', async () => {
    const created = await runCli(['token', 'create', 'outage', '--ledger', dbUrl, '--data-dir', dirs[0]!]);
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim().split('\n').at(-1)!;
    await new Promise((r) => setTimeout(r, 500));
    cluster.pause();
    const pausedAt = Date.now();
    const answered: string[] = [];
    const statuses: number[] = [];
    // A steady load over both instances for the whole outage (bounded: at most 400 requests).
    for (let i = 0; i < 400 && Date.now() - pausedAt < 10_000; i++) {
      const res = await chat(i % 2 === 0 ? a : b, token);
      statuses.push(res.status);
      await res.arrayBuffer();
      if (res.status === 200) answered.push(res.headers.get('x-request-id')!);
      await new Promise((r) => setTimeout(r, 25));
    }
    // doctor, meanwhile, says the database is away and rows wait on this data dir.
    const doctor = await runCli(['doctor', '--ledger', dbUrl, '--data-dir', dirs[2]!]);
    await cluster.resume();
    expect(
      statuses.every((s) => s === 200),
      `statuses during the outage: ${[...new Set(statuses)].join(',')}`,
    ).toBe(true);
    expect(answered.length).toBeGreaterThan(50);
    expect(doctor.stdout + doctor.stderr).toMatch(/request rows? recorded here wait to ship/);
    const found = await rowsFor(answered, 30_000);
    expect(answered.filter((id) => !found.has(id))).toEqual([]);
    expect([...found.values()].every((n) => n === 1)).toBe(true);
  }, 90_000);

  it("never shows the database password: not in serve's output, its errors during an outage, or the UI's team status", async () => {
    const secret = 'pw-s3cret-7f1c';
    // Trust auth ignores the password, so the URL works and carries a secret to look for.
    const withPassword = dbUrl.replace('postgres@', `postgres:${secret}@`);
    const dir = dataDir();
    const s = await startServeProcess(['--data-dir', dir, '--config', join(dirs[0]!, 'config.json'), '--ledger', withPassword], {
      TEAM_KEY: 'team-key',
    });
    serves.push(s);
    let stderr = '';
    s.child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const status = await rpc<{ database: string }>(s, 'team', 'status');
    expect(status.database).toContain('***');
    const created = await rpc<{ token: string }>(s, 'tokens', 'create', { name: 'redaction' });
    cluster.pause();
    try {
      const res = await chat(s, created.token);
      await res.arrayBuffer();
      expect(res.status).toBe(200);
      // The shipper reports the outage once it fails to ship that row (bounded wait).
      const deadline = Date.now() + 5_000;
      while (!/team/i.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(stderr).toMatch(/team/i);
      const team = await rpc<unknown>(s, 'team', 'status');
      expect(JSON.stringify(team)).not.toContain(secret);
    } finally {
      await cluster.resume();
    }
    await s.stop();
    expect(s.lines.join('\n')).not.toContain(secret);
    expect(stderr).not.toContain(secret);
  }, 60_000);
});
