// Runs the built `switchboard` CLI as a child process, the way users and scripts run it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const repoRoot = resolve(import.meta.dirname, '../..');
const bin = resolve(repoRoot, 'bin/switchboard.js');

export function assertBuilt(): void {
  if (!existsSync(resolve(repoRoot, 'dist/cli.cjs'))) throw new Error('dist/cli.cjs is missing: run `npm run build` first (npm test does)');
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

export interface ServeProcess {
  url: string;
  uiUrl: string;
  /** Every stdout line so far (it keeps growing while serve runs). */
  lines: string[];
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `switchboard serve` and waits for its `listening on` and UI lines (bounded by timeoutMs). */
export function startServeProcess(args: string[], env: Record<string, string> = {}, timeoutMs = 15_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const lines: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (log += d));
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  return new Promise((resolvePromise, reject) => {
    let url: string | undefined;
    const timer = setTimeout(() => fail(`no URLs within ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop();
      reject(new Error(`serve did not start: ${why}\n${log}`));
    };
    child.once('exit', (code) => fail(`exited with ${code}`));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      log += `${line}\n`;
      lines.push(line);
      const listening = /^listening on (http:\/\/\S+)$/.exec(line);
      if (listening) url = listening[1];
      const ui = /(http:\/\/\S+\/\?token=\S+)/.exec(line);
      if (ui && url) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolvePromise({ url, uiUrl: ui[1]!, lines, child, stop });
      }
    });
  });
}
