// Runs real client programs (coding agents, editors' CLIs) against the port in tests: each in a HOME
// of its own with nothing inherited but PATH, offline (an egress trap as its proxy), under a deadline
// that kills its whole process group; plus its setup guide filled in, and what the ledger says it spent.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'libsql';
import { SETUP_GUIDES } from '../../electron/engine/gateway/setup-guides';
import { startEgressTrap, type EgressTrap } from '../fakes/egress-trap';
import { assertBuilt, repoRoot, runCli } from '../support/cli';

export { repoRoot };

/** A client program the suite expects in node_modules is not there (or not runnable). */
export class ClientMissingError extends Error {
  constructor(what: string) {
    super(`${what}: run \`npm install\` (it is a pinned dev dependency)`);
    this.name = 'ClientMissingError';
  }
}

/** A setup guide (or one of its snippets) the test asked for does not exist. */
export class GuideMissingError extends Error {
  constructor(what: string) {
    super(`no setup guide ${what} in electron/engine/gateway/setup-guides.ts`);
    this.name = 'GuideMissingError';
  }
}

/**
 * Where the agents are installed: a package of their own (test/clients/agents/package.json), apart from
 * the app's dependencies; `npm test` installs it on first use.
 */
export const agentModules = resolve(repoRoot, 'test/clients/agents/node_modules');

/** test/clients/agents/node_modules/.bin/<name>, or a ClientMissingError. */
export function binPath(name: string): string {
  const path = resolve(agentModules, '.bin', name);
  if (!existsSync(path))
    throw new ClientMissingError(`test/clients/agents/node_modules/.bin/${name} is missing (npm install --prefix test/clients/agents)`);
  return path;
}

export interface ClientRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The deadline passed and the process group was killed. */
  timedOut: boolean;
  durationMs: number;
}

export interface RunOptions {
  /** Added to (and overriding) the sandbox's environment. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Default 45 s. */
  timeoutMs?: number;
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  stdin?: string;
}

export interface ClientSandbox {
  /** The program's HOME (XDG dirs and TMPDIR are inside it). */
  home: string;
  /** A project directory inside HOME, the default working directory. */
  work: string;
  /** The base environment every run gets. */
  env: Record<string, string>;
  /** Every attempt a program made to reach beyond loopback through the proxy variables. */
  trap: EgressTrap;
  run(command: string, args: string[], options?: RunOptions): Promise<ClientRun>;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1,localhost,::1';

/** A fresh HOME and an environment that keeps the program offline and away from the developer's own config and keys. */
export async function openSandbox(name: string): Promise<ClientSandbox> {
  const home = mkdtempSync(join(tmpdir(), `switchboard-${name}-`));
  const dirs = {
    config: join(home, '.config'),
    data: join(home, '.local/share'),
    cache: join(home, '.cache'),
    state: join(home, '.local/state'),
    tmp: join(home, 'tmp'),
    work: join(home, 'project'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const trap = await startEgressTrap();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    XDG_STATE_HOME: dirs.state,
    TMPDIR: dirs.tmp,
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    NO_COLOR: '1',
    DO_NOT_TRACK: '1',
    // Programs that honour the proxy variables get a refusal at once for anything off loopback.
    HTTP_PROXY: trap.url,
    HTTPS_PROXY: trap.url,
    ALL_PROXY: trap.url,
    http_proxy: trap.url,
    https_proxy: trap.url,
    all_proxy: trap.url,
    NO_PROXY: LOOPBACK,
    no_proxy: LOOPBACK,
  };
  return {
    home,
    work: dirs.work,
    env,
    trap,
    run: (command, args, options = {}) =>
      runClient(command, args, { ...options, cwd: options.cwd ?? dirs.work, env: { ...env, ...options.env } }),
    async close() {
      await trap.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}

/**
 * Runs a program in its own process group with exactly `options.env`; past the deadline the whole
 * group is killed. The group is killed after the program exits too, so nothing it started (a shell
 * from a tool call, a helper server) outlives the test or holds its output open.
 */
export function runClient(
  command: string,
  args: string[],
  options: RunOptions & { env: Record<string, string | undefined> },
): Promise<ClientRun> {
  const env = Object.fromEntries(Object.entries(options.env).filter((e): e is [string, string] => e[1] !== undefined));
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env,
      detached: true,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, options.timeoutMs ?? 45_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', () => killGroup(child.pid));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, timedOut, durationMs: Math.round(performance.now() - started) });
    });
    if (options.stdin !== undefined) child.stdin!.end(options.stdin);
  });
}

/**
 * The environment that makes a Node program's built-in fetch honour the sandbox's proxy variables
 * (Node 20's ignores them): for programs that fetch beyond loopback on their own and have no switch for it.
 */
export const nodeFetchViaProxy = (): Record<string, string> => ({
  NODE_OPTIONS: `--import ${pathToFileURL(resolve(repoRoot, 'test/clients/fetch-via-proxy.mjs')).href}`,
});

/** What a test fills a guide's placeholders with. */
export interface GuideValues {
  baseUrl: string;
  token: string;
  model: string;
}

const fill = (text: string, v: GuideValues): string =>
  text.replaceAll('{{baseUrl}}', v.baseUrl).replaceAll('{{token}}', v.token).replaceAll('{{model}}', v.model);

function guideFor(guideId: string) {
  const guide = SETUP_GUIDES.find((g) => g.id === guideId);
  if (!guide) throw new GuideMissingError(`"${guideId}"`);
  return guide;
}

/** A tool's setup guide steps, placeholders filled, as the app shows them. */
export const guideSteps = (guideId: string, values: GuideValues): string[] => guideFor(guideId).steps.map((s) => fill(s, values));

/** One snippet of a tool's setup guide (by label, or the first), placeholders filled, as the app shows it. */
export function guideSnippet(guideId: string, values: GuideValues, label?: string): string {
  const guide = guideFor(guideId);
  const snippet = label === undefined ? guide.snippets[0] : guide.snippets.find((s) => s.label === label);
  if (!snippet) throw new GuideMissingError(`"${guideId}" snippet "${label}"`);
  return fill(snippet.text, values);
}

/** The `export NAME=value` lines of a shell snippet, as an environment (quotes removed). */
export function shellExports(script: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of script.split('\n')) {
    const m = /^\s*export\s+([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    const raw = m[2]!.trim();
    env[m[1]!] = /^(['"]).*\1$/.test(raw) ? raw.slice(1, -1) : raw;
  }
  return env;
}

/** True when a file exists and is at least `bytes` long (a real binary, not an installer's placeholder). */
export const fileAtLeast = (path: string, bytes: number): boolean => existsSync(path) && statSync(path).size >= bytes;

/**
 * Runs a dev dependency's postinstall script when what it makes is missing (`ready()` is false): npm 11
 * may skip install scripts (its install-scripts policy), and some CLIs put their native binary in place
 * there. It runs offline, in the sandbox, like the program itself.
 */
export async function ensurePostinstall(pkg: string, ready: () => boolean, sandbox: ClientSandbox): Promise<void> {
  if (ready()) return;
  const dir = resolve(agentModules, pkg);
  if (!existsSync(join(dir, 'package.json'))) throw new ClientMissingError(`${pkg} is not installed`);
  const script = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: { postinstall?: string } }).scripts
    ?.postinstall;
  if (!script) throw new ClientMissingError(`${pkg} is incomplete and has no postinstall script`);
  const r = await sandbox.run('sh', ['-c', script], { cwd: dir, timeoutMs: 120_000 });
  if (r.code !== 0 || !ready())
    throw new ClientMissingError(`${pkg}'s postinstall (${script}) did not complete (exit ${r.code}): ${r.stderr || r.stdout}`);
}

export interface SpendGroup {
  key: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
}

/** `switchboard spend --by client --json` over a data dir: what users and scripts read (needs `npm run build`). */
export async function spendByClient(dataDir: string): Promise<{ requests: number; groups: SpendGroup[] }> {
  assertBuilt();
  const r = await runCli(['spend', '--by', 'client', '--json', '--data-dir', dataDir]);
  if (r.code !== 0) throw new Error(`switchboard spend failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as { requests: number; groups: SpendGroup[] };
}

export interface LedgerRow {
  client: string | null;
  route: string | null;
  provider: string | null;
  model: string | null;
  status: string;
  http_status: number;
  attempts: string;
  input_tokens: number;
  output_tokens: number;
}

/** Every ledger row, oldest first, read straight from SQLite (flush the engine's ledger first). */
export function ledgerRows(dataDir: string): LedgerRow[] {
  const db = new Database(join(dataDir, 'ledger.db'), { readonly: true });
  try {
    return db.prepare('SELECT * FROM requests ORDER BY started_at, rowid').all() as LedgerRow[];
  } finally {
    db.close();
  }
}
