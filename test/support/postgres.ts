// A private PostgreSQL cluster for one test file: initdb in a temporary directory, a free loopback
// port, trust auth, torn down by stop(). Each file gets its own, so a test may stop and restart its
// server (the outage test) without touching another file's. Run as root (CI), the server runs as the
// `postgres` user the Debian package creates: initdb refuses root.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port';

/** Where Debian keeps the server binaries (not on PATH), newest version first; PATH last. */
function findBinDir(): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(root, versions[0]!, 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return join(which.stdout.trim(), '..');
  throw new Error('PostgreSQL server binaries (initdb, pg_ctl) were not found: install Debian\'s "postgresql" package (bash .ci/run does)');
}

export interface PostgresCluster {
  /** A superuser URL to the `postgres` database. */
  readonly url: string;
  readonly port: number;
  /** A fresh, empty database and its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server (fast shutdown: open sessions are cut, as in an outage). */
  pause(): void;
  /** Starts it again on the same port and data. */
  resume(): Promise<void>;
  /** Stops the server and removes its files. */
  stop(): void;
}

let databases = 0;

export async function startPostgres(): Promise<PostgresCluster> {
  const bin = findBinDir();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'sb-pg-'));
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()), 0);
  const run = (tool: string, args: string[]) => {
    const argv = asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
    const result = spawnSync(asRoot ? 'runuser' : join(bin, tool), argv, { encoding: 'utf8', timeout: 30_000 });
    if (result.status !== 0) throw new Error(`${tool} failed: ${result.stderr || result.stdout || result.error?.message}`);
  };
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '--auth=trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  // Loopback only, the socket in the private dir, durability off (a test cluster; faster, same semantics).
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const start = async () => {
    run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', '-t', '30', 'start']);
    await waitReady(url);
  };
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let running = false;
  await start();
  running = true;
  const stopServer = () => {
    if (!running) return;
    running = false;
    run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
  };
  return {
    url,
    port,
    async createDatabase(name = `t${process.pid}_${++databases}`) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    pause: stopServer,
    async resume() {
      if (running) return;
      await start();
      running = true;
    },
    stop() {
      try {
        stopServer();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

async function waitReady(url: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
