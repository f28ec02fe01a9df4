// Starts the real headless engine (`switchboard serve`) as a child process on a free port with a
// throwaway data dir and a config file, and waits for the URLs it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export interface ServeHandle {
  /** `http://HOST:PORT` */
  url: string;
  /** `http://HOST:PORT/?token=...`: the UI with its one-time admin token. */
  uiUrl: string;
  dataDir: string;
  /** Everything the process wrote so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** Seed config; omit for a first run on an empty data dir. */
  config?: unknown;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** The repository root to run `bin/switchboard.js` from; bundled callers (benches) pass process.cwd(). */
  root?: string;
  /** More arguments for `serve` (`--ledger postgres://…`, `--instance NAME`). */
  args?: string[];
}

const repoRoot = resolve(import.meta.dirname, '../../..');

export async function startServe({ config, env = {}, timeoutMs = 20_000, root = repoRoot, args = [] }: ServeOptions): Promise<ServeHandle> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-e2e-'));
  const configFile = join(dataDir, 'config.json');
  if (config !== undefined) await writeFile(configFile, JSON.stringify(config, null, 2));
  const seed = config === undefined ? [] : ['--config', configFile];

  const child = spawn(process.execPath, ['bin/switchboard.js', 'serve', '--port', '0', '--data-dir', dataDir, ...seed, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (log += d));

  const stop = () => stopChild(child).then(() => rm(dataDir, { recursive: true, force: true }));

  try {
    const { url, uiUrl } = await waitForUrls(child, timeoutMs, (line) => (log += `${line}\n`));
    return { url, uiUrl, dataDir, output: () => log, stop };
  } catch (error) {
    await stop();
    throw new Error(`switchboard serve did not start: ${(error as Error).message}\n--- output ---\n${log}`, { cause: error });
  }
}

function waitForUrls(child: ChildProcess, timeoutMs: number, onLine: (line: string) => void) {
  return new Promise<{ url: string; uiUrl: string }>((resolvePromise, reject) => {
    let url: string | undefined;
    let uiUrl: string | undefined;
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => finish(new Error(`no URLs printed within ${timeoutMs} ms`)), timeoutMs);
    const onExit = (code: number | null, signal: string | null) => finish(new Error(`exited early (code ${code}, signal ${signal})`));
    function finish(error?: Error) {
      clearTimeout(timer);
      child.off('exit', onExit);
      // Keep draining stdout so the child never blocks on a full pipe.
      if (error) reject(error);
      else resolvePromise({ url: url!, uiUrl: uiUrl! });
    }
    child.on('exit', onExit);
    lines.on('line', (line) => {
      onLine(line);
      const listening = /listening on (https?:\/\/[^\s/]+)/.exec(line);
      if (listening) url = listening[1];
      const ui = /(https?:\/\/\S+\/\?token=\S+)/.exec(line);
      if (ui) uiUrl = ui[1];
      if (url && uiUrl) finish();
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
