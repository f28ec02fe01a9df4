// The team ledger bench's set-up and bookkeeping: a data dir with the bench config and a client token
// without a budget (in settings, or in the team database with --ledger), and where each backend's rows
// are counted: the local ledger file, the outbox toward PostgreSQL, the team database itself.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'libsql';
import pg from 'pg';
import { request } from 'undici';
import { redactDatabaseUrl } from '../../electron/engine/team/database';
import { readOutboxStatus } from '../../electron/engine/team/ledger/outbox';
import { cliPath, UPSTREAM_KEY, type ServeSetup, type Serving } from './switchboard-serve';
import { setTimeout as sleep } from 'node:timers/promises';

/** Rows a backend should hold did not all land within the bench's bound: its numbers would not be the real cost. */
export class RowsNotLandedError extends Error {
  override readonly name = 'RowsNotLandedError';
}

/** A command the set-up runs failed. */
export class BenchSetupError extends Error {
  override readonly name = 'BenchSetupError';
}

/**
 * Writes the config file and mints the client token `bench` with the CLI, without a budget: in the data
 * dir's settings, or with `ledgerUrl` in the team database (`token create bench --ledger URL`). No
 * global budget is set either, so the two runs differ only in their ledger.
 */
export function prepareBackend(dataDir: string, config: unknown, ledgerUrl?: string): ServeSetup {
  const configFile = join(dataDir, 'bench-config.json');
  writeFileSync(configFile, JSON.stringify(config));
  const env = { ...process.env, UP_KEY: UPSTREAM_KEY, SWITCHBOARD_DATA_DIR: dataDir };
  const args = ['token', 'create', 'bench', ...(ledgerUrl ? ['--ledger', ledgerUrl] : [])];
  const made = spawnSync(process.execPath, [cliPath(), ...args], { env, encoding: 'utf8', timeout: 30_000 });
  if (made.status !== 0) {
    const where = ledgerUrl ? ` --ledger ${redactDatabaseUrl(ledgerUrl)}` : '';
    throw new BenchSetupError(`switchboard token create bench${where} failed: ${made.stderr || made.error?.message}`);
  }
  const token = made.stdout.trim().split('\n').pop()!;
  return { dataDir, configFile, env, token };
}

/** The budgets the running port enforces (`budgets.status`, what the UI shows): the bench wants none. */
export async function budgetsOf(serving: Serving): Promise<unknown[]> {
  const res = await request(`${serving.url}/app/rpc`, {
    method: 'POST',
    headers: { authorization: `Bearer ${serving.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ service: 'budgets', method: 'status', params: [] }),
  });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new BenchSetupError(`budgets.status answered ${res.statusCode}: ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { result: unknown[] }).result;
}

/** Finished request rows in `<dataDir>/ledger.db`, read from this process (serve's CPU is not touched). */
export function localRows(dataDir: string): number {
  const db = new Database(join(dataDir, 'ledger.db'), { readonly: true });
  try {
    return Number((db.prepare('SELECT COUNT(*) AS n FROM requests').get() as { n: number }).n);
  } finally {
    db.close();
  }
}

export interface Landing {
  dataDir: string;
  /** The team database: the rows must also have left the outbox. */
  ledgerUrl?: string;
}

/**
 * Waits until at least `expected` rows are in the local ledger and, in team mode, none waits in the
 * outbox (so every one is in PostgreSQL); polled from this process every 50 ms, bounded by `timeoutMs`.
 * Returns how long it waited.
 */
export async function waitForRows(where: Landing, expected: number, timeoutMs = 30_000): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const rows = localRows(where.dataDir);
    const unshipped = where.ledgerUrl ? (readOutboxStatus(where.dataDir, where.ledgerUrl)?.unshipped ?? rows) : 0;
    if (rows >= expected && unshipped === 0) return Date.now() - t0;
    if (Date.now() - t0 > timeoutMs) {
      throw new RowsNotLandedError(
        `after ${timeoutMs / 1000} s, ${rows} of ${expected} rows are in the local ledger of ${where.dataDir}` +
          (where.ledgerUrl ? ` and ${unshipped} still wait in its outbox toward PostgreSQL` : ''),
      );
    }
    await sleep(50);
  }
}

export interface TeamRows {
  rows: number;
  distinctIds: number;
  instances: string[];
}

/** What the team database holds in `requests` (read once, at the end: a count scans the table). */
export async function teamRows(url: string): Promise<TeamRows> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string; ids: string; instances: string[] }>(
      'SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS ids, ARRAY_AGG(DISTINCT instance) AS instances FROM requests',
    );
    return { rows: Number(rows[0]!.n), distinctIds: Number(rows[0]!.ids), instances: rows[0]!.instances ?? [] };
  } finally {
    await client.end();
  }
}

/** The PostgreSQL server's main process (its postmaster.pid), whose children are the backends and workers. */
export async function postmasterPid(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let dir: string;
  try {
    dir = (await client.query<{ data_directory: string }>('SHOW data_directory')).rows[0]!.data_directory;
  } finally {
    await client.end();
  }
  const pid = Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw new BenchSetupError(`no server pid in ${dir}/postmaster.pid`);
  return pid;
}
