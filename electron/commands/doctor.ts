// `switchboard doctor [--port N] [--ledger URL]`: checks what Switchboard needs and says how to fix what is
// missing: the data dir (writable, settings and ledger readable), the OS keychain, the port, each provider,
// and with a team ledger its database (reachable, schema) and the rows this machine still has to ship.
import fs from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_PORT } from '../engine/gateway/port-address';
import type { CommandIO } from './io';

type Check = { ok: boolean; name: string; detail: string };

async function checkDataDir(dataDir: string): Promise<Check[]> {
  const checks: Check[] = [];
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const probe = path.join(dataDir, `.doctor-${process.pid}`);
    fs.writeFileSync(probe, 'ok');
    fs.rmSync(probe);
    checks.push({ ok: true, name: 'data dir', detail: `${dataDir} is writable` });
  } catch (error) {
    checks.push({
      ok: false,
      name: 'data dir',
      detail: `${dataDir} is not writable: ${(error as Error).message}; choose another with --data-dir or SWITCHBOARD_DATA_DIR`,
    });
    return checks;
  }
  const { openSettings } = await import('../engine/settings/settings-store');
  try {
    const settings = openSettings(dataDir);
    const data = settings.read();
    settings.close();
    checks.push({
      ok: true,
      name: 'settings',
      detail: `${settings.path}: ${data.providers.length} providers, ${data.routes.length} routes, ${data.tokens.length} client tokens`,
    });
  } catch (error) {
    checks.push({ ok: false, name: 'settings', detail: (error as Error).message });
  }
  const { openLedger } = await import('../engine/ledger/ledger');
  try {
    const ledger = openLedger(dataDir);
    const { requests } = await ledger.spend({});
    // Keys the router retired after 401/402/403 (its last word on each key in recent requests).
    const { retiredKeysFromLedger } = await import('../engine/router/retired-keys');
    const retired = retiredKeysFromLedger(await ledger.recent(2000));
    await ledger.close();
    checks.push({ ok: true, name: 'ledger', detail: `${path.join(dataDir, 'ledger.db')}: ${requests} requests recorded` });
    for (const k of retired) {
      const recheck = `it re-checks the key with one request by ${new Date(k.nextCheckAt).toISOString()} (the wait doubles after each refusal, 1 min up to 30 min)`;
      checks.push({
        ok: false,
        name: `key ${k.provider}/${k.label}`,
        detail: `refused by the provider (${k.status ?? 'auth'}) on ${new Date(k.at).toISOString()}${k.refusals > 1 ? ` (${k.refusals} times in a row)` : ''}, so the router stopped using it; ${recheck}; replace it: switchboard key set ${k.provider} --label ${k.label} (or fix its environment variable)`,
      });
    }
  } catch (error) {
    checks.push({ ok: false, name: 'ledger', detail: `${path.join(dataDir, 'ledger.db')}: ${(error as Error).message}` });
  }
  return checks;
}

/** Rows waiting longer than this to ship mean the database has been out of reach (a server ships within a second). */
const STUCK_MS = 60_000;

/** The team database (reachable, schema version against this binary's) and this data dir's outbox toward it; starts nothing. */
async function checkTeamLedger(url: string, dataDir: string): Promise<Check[]> {
  const { isDatabaseUrl, openDatabase, redactDatabaseUrl } = await import('../engine/team/database');
  const { TEAM_MIGRATIONS } = await import('../engine/team/schema');
  const { readOutboxStatus } = await import('../engine/team/ledger/outbox');
  const { scrubbed } = await import('../engine/team/ledger/errors');
  const name = redactDatabaseUrl(url);
  if (!isDatabaseUrl(url)) return [{ ok: false, name: 'team ledger', detail: `--ledger must be a postgres:// URL (got ${name})` }];
  const checks: Check[] = [];
  const db = openDatabase(url, { max: 1, connectTimeoutMs: 5_000, onError: () => {} });
  try {
    const { rows } = await db.query<{ exists: boolean }>("SELECT to_regclass('switchboard_schema') IS NOT NULL AS exists");
    const version = rows[0]?.exists
      ? Number((await db.query<{ version: number }>('SELECT version FROM switchboard_schema')).rows[0]?.version ?? 0)
      : 0;
    const known = TEAM_MIGRATIONS.length;
    checks.push({ ok: true, name: 'team ledger', detail: `${name} is reachable` });
    if (version > known) {
      checks.push({
        ok: false,
        name: 'team schema',
        detail: `version ${version}, newer than this Switchboard knows (${known}): upgrade Switchboard on this machine before pointing it at that database`,
      });
    } else {
      const detail =
        version === known
          ? `version ${version}, as this Switchboard expects`
          : `version ${version}; the next \`switchboard serve --ledger\` brings it to ${known}`;
      checks.push({ ok: true, name: 'team schema', detail });
    }
  } catch (error) {
    checks.push({ ok: false, name: 'team ledger', detail: `${name} is unreachable: ${scrubbed((error as Error).message, url)}` });
  } finally {
    await db.end().catch(() => {});
  }
  try {
    const status = readOutboxStatus(dataDir, url);
    if (!status || status.unshipped === 0) {
      checks.push({ ok: true, name: 'team outbox', detail: 'no row waits to ship: every request recorded here is in the team database' });
    } else {
      const age = Date.now() - (status.oldestUnshippedAt ?? Date.now());
      const rows = `${status.unshipped} request row${status.unshipped === 1 ? '' : 's'}`;
      checks.push({
        ok: age < STUCK_MS,
        name: 'team outbox',
        detail: `${rows} recorded here wait to ship to ${name}, the oldest for ${Math.round(age / 1000)} s; ${
          age < STUCK_MS
            ? 'a running server ships them within a second'
            : 'they stay on disk and ship when the database is reachable and `switchboard serve --ledger` runs on this data dir'
        }`,
      });
    }
  } catch (error) {
    checks.push({ ok: false, name: 'team outbox', detail: `${path.join(dataDir, 'ledger.db')}: ${(error as Error).message}` });
  }
  return checks;
}

async function checkKeychain(): Promise<Check> {
  const { openKeychain, probeKeychain } = await import('../engine/vault/keychain');
  const probe = probeKeychain(openKeychain());
  return probe.ok
    ? { ok: true, name: 'keychain', detail: 'the OS keychain stores and deletes keys' }
    : { ok: false, name: 'keychain', detail: probe.message };
}

function checkPort(port: number, host = '127.0.0.1'): Promise<Check> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const detail =
        error.code === 'EADDRINUSE'
          ? `${host}:${port} is in use (a running \`switchboard serve\`, or another program; pick one with --port)`
          : `${host}:${port} cannot be bound: ${error.message}`;
      resolve({ ok: false, name: 'port', detail });
    });
    server.listen(port, host, () => server.close(() => resolve({ ok: true, name: 'port', detail: `${host}:${port} is free` })));
  });
}

async function checkProviders(io: CommandIO): Promise<Check[]> {
  if (!fs.existsSync(path.join(io.dataDir, 'settings.json'))) return [];
  const { openSettings } = await import('../engine/settings/settings-store');
  const { createVault } = await import('../engine/vault/vault');
  const { testKey } = await import('../engine/vault/key-test');
  const { Transport } = await import('../engine/providers/transport');
  let providers;
  try {
    const settings = openSettings(io.dataDir);
    providers = settings.read().providers;
    settings.close();
  } catch {
    return []; // already reported by the settings check
  }
  const vault = createVault({ env: io.env });
  const transport = new Transport();
  const checks: Check[] = [];
  for (const p of providers) {
    let key;
    try {
      key = vault.keysFor(p.id, p.keys)[0];
    } catch (error) {
      checks.push({ ok: false, name: `provider ${p.id}`, detail: (error as Error).message });
      continue;
    }
    const result = await testKey(transport, p, key, key?.label ?? 'default', 5_000);
    checks.push({ ok: result.ok, name: `provider ${p.id}`, detail: `${result.masked ? `${result.masked}: ` : ''}${result.message}` });
  }
  await transport.close();
  return checks;
}

export async function run(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, ledger: { type: 'string' } }, strict: true });
  const ledgerUrl = values.ledger ?? (io.env.SWITCHBOARD_LEDGER || undefined);
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    io.stderr(`switchboard doctor: --port must be a whole number from 1 to 65535 (got "${values.port}")`);
    return 2;
  }
  const checks = [
    ...(await checkDataDir(io.dataDir)),
    ...(ledgerUrl ? await checkTeamLedger(ledgerUrl, io.dataDir) : []),
    await checkKeychain(),
    await checkPort(port),
    ...(await checkProviders(io)),
  ];
  for (const c of checks) io.stdout(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}`);
  const failed = checks.filter((c) => !c.ok).length;
  io.stdout(failed === 0 ? 'everything looks fine' : `${failed} problem${failed === 1 ? '' : 's'} found`);
  return failed === 0 ? 0 : 1;
}
