// Regression tests for hardening issue item 9: the data dir is 0700 and everything the engine keeps in
// it (settings, the ledger and SQLite's -wal/-shm beside it) is 0600, on a fresh install and on one an
// older version left 0755/0644 (with a WAL a crash left behind), after start and after requests.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../electron/engine/app';
import { openSettings } from '../../electron/engine/settings/settings-store';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';

let up: OpenAIFake;
let root: string;
let app: App | undefined;

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

/** Every entry of the data dir with its mode, the dir itself as ".". */
function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = { '.': mode(dir) };
  for (const name of readdirSync(dir)) out[name] = mode(join(dir, name));
  return out;
}

function expectPrivate(dir: string, mustHave: string[]): void {
  const seen = modes(dir);
  for (const name of mustHave) expect(seen, name).toHaveProperty(name);
  for (const [name, m] of Object.entries(seen)) {
    const isDir = name === '.' || statSync(join(dir, name)).isDirectory();
    expect(`${name} ${m}`).toBe(`${name} ${isDir ? '700' : '600'}`);
  }
}

const LEDGER = ['ledger.db', 'ledger.db-wal', 'ledger.db-shm'];

async function start(dataDir: string, seed: boolean): Promise<App> {
  const configFile = join(root, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      providers: [{ id: 'oa', kind: 'openai-compatible', baseUrl: up.url, keys: [{ env: 'K' }], models: [{ id: 'm1' }] }],
      routes: [],
    }),
  );
  app = await createApp({ dataDir, configFile: seed ? configFile : undefined, port: 0, host: '127.0.0.1', env: { K: 'k' } });
  return app;
}

/** A client token (this rewrites settings.json, so checks of the fix on open come before it). */
const tokenFor = async (running: App) => (await running.services.tokens.create({ name: `perm-${Date.now()}` })).token;

/** A few chat requests through the port, then a spend query, so the writer thread has written the WAL. */
async function someRequests(running: App, token: string): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${running.gateway!.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'oa/m1', messages: [{ role: 'user', content: `hi ${i}` }] }),
    });
    expect(res.status).toBe(200);
    await res.text();
  }
  expect((await running.services.spend.summary({})).requests).toBeGreaterThanOrEqual(3);
}

/**
 * What an older version left after a crash: a ledger written in WAL mode by a process that exited
 * without closing it, so a non-empty -wal and -shm remain (SQLite would not re-mode those itself).
 */
function crashLeavingWal(file: string): void {
  const libsql = createRequire(import.meta.url).resolve('libsql');
  const script = `const D = require(${JSON.stringify(libsql)}); const db = new D(${JSON.stringify(file)});
    db.exec('PRAGMA journal_mode = WAL'); db.exec('PRAGMA wal_autocheckpoint = 0');
    const v = db.prepare('PRAGMA user_version').get().user_version; db.exec('PRAGMA user_version = ' + v);
    process.exit(0);`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  for (const name of LEDGER) expect(statSync(file.replace(/ledger\.db$/, name)).size, name).toBeGreaterThan(0);
}

beforeAll(async () => {
  up = await startOpenAIFake({ apiKey: 'k', models: ['m1'] });
  root = mkdtempSync(join(tmpdir(), 'switchboard-perm-'));
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});
afterAll(async () => {
  await up?.close();
  rmSync(root, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('data dir permissions', () => {
  it('a fresh data dir is 0700 and the settings and ledger files 0600, after start and after requests', async () => {
    const dataDir = join(root, 'fresh', 'data');
    const running = await start(dataDir, true);
    expectPrivate(dataDir, ['settings.json', 'ledger.db']);
    await someRequests(running, await tokenFor(running));
    expectPrivate(dataDir, ['settings.json', ...LEDGER]);
  });

  it('tightens a data dir an older version left 0755 with 0644 files and a crash-left WAL', async () => {
    const dataDir = join(root, 'old');
    const first = await start(dataDir, true);
    await someRequests(first, await tokenFor(first));
    await first.close();
    app = undefined;
    crashLeavingWal(join(dataDir, 'ledger.db'));
    chmodSync(dataDir, 0o755);
    for (const name of readdirSync(dataDir)) chmodSync(join(dataDir, name), 0o644);
    expect(modes(dataDir)).toMatchObject({
      '.': '755',
      'settings.json': '644',
      'ledger.db': '644',
      'ledger.db-wal': '644',
      'ledger.db-shm': '644',
    });

    // No seed this time: settings.json is not rewritten, so only the fix on open can tighten it.
    const running = await start(dataDir, false);
    expectPrivate(dataDir, ['settings.json', ...LEDGER]);
    await someRequests(running, await tokenFor(running));
    expectPrivate(dataDir, ['settings.json', ...LEDGER]);
  });

  it('a CLI command that opens only the settings (token create) makes the data dir private too', () => {
    const dataDir = join(root, 'cli', 'data');
    const settings = openSettings(dataDir);
    settings.close();
    expect(existsSync(join(dataDir, 'settings.json'))).toBe(true);
    expectPrivate(dataDir, ['settings.json']);
  });
});
