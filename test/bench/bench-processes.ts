// The bench's child processes: each server and fake upstream runs in its own, started here, read by its
// first line, stopped at the end, and killed on the watchdog or a failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';

/** Every process this run starts: killed on the watchdog or a failure, so none outlives the bench. */
export const children: ChildProcess[] = [];
export const killAll = () => {
  for (const ch of children) if (ch.exitCode === null && ch.signalCode === null) ch.kill('SIGKILL');
};

/**
 * Starts `bench` (a bench's own bundle, again, in BENCH_ROLE `role`; or a programBundle, which has one
 * role and ignores it) as a child, with `env` added and node started with `execArgv`; its stdout is
 * piped for firstLine, and it is killed with the rest on a failure.
 */
export function spawnRole(bench: string, role: string, env: Record<string, string> = {}, execArgv: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...execArgv, bench], {
    env: { ...process.env, BENCH_ROLE: role, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return child;
}

/** The bundle `npm run bench` made of test/bench/`name`.ts, a program a bench starts as a process of its own. */
export function programBundle(name: string): string {
  const bundle = join('.tmp', `${name}.mjs`);
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run the bench with \`npm run bench\`, which bundles it`);
  return bundle;
}

/** The first line a child prints, as JSON (its address by default, or its result). */
export function firstLine<T = { url: string }>(child: ChildProcess, what: string, timeoutMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as T);
    });
    child.once('exit', (code) => reject(new Error(`${what} exited (${code})`)));
  });
}

export { freePort } from '../support/free-port';
export { setTimeout as sleep } from 'node:timers/promises';

export async function waitForPort(url: string): Promise<void> {
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    try {
      await fetch(url);
      return;
    } catch {
      await delay(100);
    }
  }
  throw new Error(`${url} did not answer within 20 s`);
}

/** SIGTERM, then SIGKILL if the process has not exited within `graceMs`. */
export async function stop(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
