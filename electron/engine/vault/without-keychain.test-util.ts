// Test helper: runs a TypeScript snippet in a child Node process that has no D-Bus session, so the
// "no keychain" paths run against the real keyring library (its D-Bus connection is per process).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

export interface ChildResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `code` is an ES module body whose relative imports resolve from this folder; it may use top-level
 * code but not top-level await (wrap async work in a function and call it).
 */
export function runWithoutKeychain(code: string): ChildResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-nokeychain-'));
  try {
    const file = path.join(dir, 'snippet.cjs');
    // CommonJS so the native keyring package, left external, is found through NODE_PATH.
    buildSync({
      stdin: { contents: code, resolveDir: here, loader: 'ts', sourcefile: 'snippet.ts' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['@napi-rs/keyring', 'libsql'],
      outfile: file,
      logLevel: 'silent',
    });
    const child = spawnSync(process.execPath, [file], {
      encoding: 'utf8',
      timeout: 20_000,
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        NODE_PATH: path.join(repoRoot, 'node_modules'),
        // A bus address that cannot exist; without one libdbus would look in XDG_RUNTIME_DIR instead.
        DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(dir, 'no-such-bus')}`,
      },
    });
    return { status: child.status, stdout: child.stdout, stderr: child.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
