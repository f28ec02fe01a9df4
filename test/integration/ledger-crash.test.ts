// Crash safety: SIGKILL a real `switchboard serve` process in the middle of a load of streaming
// requests, then check the ledger: `PRAGMA integrity_check` passes, every request that completed more
// than a flush and its write before the kill has its row in the file as the kill left it, and after a restart every
// request that completed at all does (the row log, electron/engine/ledger/row-log.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import Database from 'libsql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLUSH_DELAY_MS, openLedger } from '../../electron/engine/ledger/ledger';
import { orphanedRows } from '../../electron/engine/ledger/row-log';
import { openSettings } from '../../electron/engine/settings/settings-store';
import { createClientToken } from '../../electron/engine/settings/tokens';
import { WORKER_SOURCES } from '../../electron/engine/worker-file';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';

const CLI = join(process.cwd(), 'node_modules', '.cache', 'switchboard-crash-test', 'cli.js');
// Upper bound on the load; the kill comes once enough requests completed (machine speed varies).
const LOAD_MS = 20_000;
const COMPLETED_BEFORE_KILL = 40;
const MAX_REQUESTS = 1_500;
const WORKERS = 8;
/** A row is committed within a flush delay and its batch's write (the write given 250 ms on a loaded machine). */
const GRACE_MS = FLUSH_DELAY_MS + 250;

let fake: OpenAIFake;
let dataDir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  // Build the CLI from the current sources (the test must not depend on a stale dist/).
  mkdirSync(join(CLI, '..'), { recursive: true });
  const common = { bundle: true, platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' } as const;
  await build({ ...common, entryPoints: ['electron/cli.ts'], outfile: CLI, format: 'esm' });
  // Its worker threads' scripts beside it, as scripts/build.mjs puts them beside dist/cli.cjs.
  const workers = Object.fromEntries(
    Object.entries(WORKER_SOURCES).map(([name, source]) => [`${name}.worker`, join('electron/engine', source)]),
  );
  await build({ ...common, entryPoints: workers, outdir: join(CLI, '..'), format: 'cjs', outExtension: { '.js': '.cjs' } });
  fake = await startOpenAIFake({ reply: 'a streamed reply in five chunks', chunks: 5, apiKey: 'crash-key', models: ['m1'] });
  dataDir = mkdtempSync(join(tmpdir(), 'sb-crash-'));
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function startServe(configFile: string): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dataDir, '--config', configFile], {
    env: { ...process.env, CRASH_KEY: 'crash-key' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out} ${err}`)), 15_000);
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, proc });
      }
    });
    proc.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}

describe('ledger crash safety', () => {
  it('survives SIGKILL under streaming load: every request completed before the kill has its row after a restart', async () => {
    const configFile = join(dataDir, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        providers: [
          {
            id: 'acme',
            kind: 'openai-compatible',
            baseUrl: fake.url,
            keys: [{ env: 'CRASH_KEY' }],
            models: [{ id: 'm1', price: { input: 1, output: 2 } }],
          },
        ],
        routes: [{ name: 'fast', targets: [{ provider: 'acme', model: 'm1' }] }],
      }),
    );
    const { token, record } = createClientToken('loadgen');
    const settings = openSettings(dataDir);
    settings.addToken(record);
    settings.close();
    fake.fault({ chunkDelayMs: 5 });

    const served = await startServe(configFile);
    child = served.proc;
    const completedAt: number[] = [];
    let started = 0;
    const loadEnds = Date.now() + LOAD_MS;
    let killed = false;
    const worker = async () => {
      while (!killed && Date.now() < loadEnds && started < MAX_REQUESTS) {
        started++;
        try {
          const res = await fetch(`${served.url}/v1/chat/completions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'fast', stream: true, messages: [{ role: 'user', content: `request ${started}` }] }),
          });
          const text = await res.text();
          if (res.status === 200 && text.includes('[DONE]')) completedAt.push(Date.now());
        } catch {
          // cut by the kill
        }
      }
    };
    const workers = Array.from({ length: WORKERS }, worker);
    // Kill in the middle of the load, with requests in flight: once enough have completed, and a
    // little later still so the last of them are past the grace period. Bounded by the load's end.
    while (completedAt.length < COMPLETED_BEFORE_KILL && Date.now() < loadEnds - 1_000) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, GRACE_MS + 100));
    const killAt = Date.now();
    child.kill('SIGKILL');
    killed = true;
    await Promise.all(workers);
    await new Promise<void>((resolve) =>
      child!.exitCode !== null || child!.signalCode !== null ? resolve() : child!.once('exit', () => resolve()),
    );
    expect(child.signalCode).toBe('SIGKILL');

    const mustHave = completedAt.filter((t) => t < killAt - GRACE_MS).length;
    expect(mustHave).toBeGreaterThan(20); // the load really ran

    // The file as the kill left it (WAL not checkpointed): integrity first, then the rows.
    const db = new Database(join(dataDir, 'ledger.db'));
    const integrity = db.prepare('PRAGMA integrity_check').all() as Array<{ integrity_check: string }>;
    const okRows = Number(
      (db.prepare("SELECT COUNT(*) AS n FROM requests WHERE status = 'ok' AND client = 'loadgen'").get() as { n: number }).n,
    );
    const rollup = Number((db.prepare('SELECT COALESCE(SUM(requests), 0) AS n FROM spend_daily').get() as { n: number }).n);
    const total = Number((db.prepare('SELECT COUNT(*) AS n FROM requests').get() as { n: number }).n);
    // Requests in flight at the kill are journaled, not yet rows (ledger-interrupted.test.ts follows them).
    const journaled = Number((db.prepare('SELECT COUNT(*) AS n FROM requests_open').get() as { n: number }).n);
    db.close();
    // Answered requests whose batch was not committed yet wait in the row log (a batch's file may outlive its commit by a moment).
    const logged = orphanedRows(dataDir, () => true).rows.length;
    expect(integrity).toEqual([{ integrity_check: 'ok' }]);
    expect(okRows).toBeGreaterThanOrEqual(mustHave);
    expect(okRows).toBeLessThanOrEqual(completedAt.length + WORKERS);
    expect(rollup).toBe(total); // the rollup was committed in the same transactions as the rows

    // Restart: the rows the kill left in the row log (answered, not yet committed) are committed, and the
    // journaled requests without one become `interrupted` rows. Now every request a client saw complete,
    // up to the last one before the kill, has its `ok` row.
    const ledger = openLedger(dataDir);
    const rows = await ledger.recent(MAX_REQUESTS * 2);
    const ok = rows.filter((r) => r.status === 'ok' && r.client === 'loadgen').length;
    expect(ok).toBeGreaterThanOrEqual(completedAt.length);
    expect(ok).toBeLessThanOrEqual(completedAt.length + WORKERS);
    expect(rows.length).toBeGreaterThanOrEqual(total);
    expect(rows.length).toBeLessThanOrEqual(total + journaled + logged);
    expect((await ledger.spend({ client: 'loadgen' })).requests).toBe(rows.length); // rollups agree with the rows
    await ledger.close();
  }, 60_000);
});
