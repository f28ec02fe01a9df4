// Builds dist/ when it is missing or older than the sources: `npm start` and `npm run bench` call it, so
// no install step has to build (package.json has no `prepare`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TEST_FILE = /\.test(-util)?\.[cm]?[jt]sx?$/;

/** Runs scripts/build.mjs when any output is missing or older than the newest source; exits on failure. */
export function buildIfStale(who) {
  const outputs = ['dist/cli.cjs', 'dist/ledger-writer.worker.cjs', 'dist/ledger-estimator.worker.cjs'];
  if (existsSync(path.join(root, 'electron/main.ts'))) outputs.push('dist/electron/main.js', 'dist/electron/ledger-writer.worker.cjs');
  if (existsSync(path.join(root, 'electron/preload.ts'))) outputs.push('dist/electron/preload.cjs');
  if (existsSync(path.join(root, 'vite.config.ts'))) outputs.push('dist/renderer/index.html');
  const oldestOutput = Math.min(...outputs.map((file) => mtime(path.join(root, file)) ?? -Infinity));
  const sources = ['electron', 'shared', 'renderer', 'scripts/build.mjs', 'package.json', 'vite.config.ts', 'tsconfig.json'];
  const newestSource = Math.max(0, ...sources.map((entry) => newestMtime(path.join(root, entry))));
  if (oldestOutput >= newestSource) return;

  console.error(`${who}: building (dist is missing or older than the sources)...`);
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${who}: the build failed; see the errors above.`);
    process.exit(result.status ?? 1);
  }
}

function mtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Newest modification time under a file or folder, skipping tests (they never reach dist). */
function newestMtime(entry) {
  let stats;
  try {
    stats = statSync(entry);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return TEST_FILE.test(entry) ? 0 : stats.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(entry)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, name)));
  }
  return newest;
}
