// Test helper: a CommandIO over a fresh temp data dir that captures stdout/stderr lines.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CommandIO } from './io';

export interface CapturedIO extends CommandIO {
  out: string[];
  err: string[];
  /** Everything written to stdout, joined with newlines as a terminal would show it. */
  stdoutText(): string;
  cleanup(): void;
}

export function captureIO(options: { stdin?: string; env?: NodeJS.ProcessEnv; dataDir?: string } = {}): CapturedIO {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sb-cli-'));
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    stdin: async () => options.stdin ?? '',
    env: options.env ?? {},
    dataDir,
    stdoutText: () => out.join('\n'),
    cleanup: () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
}
