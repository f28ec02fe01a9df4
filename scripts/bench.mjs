// `npm run bench`: bundles each test/bench/*.bench.ts with esbuild into .tmp/ and runs it with node, in
// turn. Each bench prints its own table and exits; a failing bench fails the run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { buildIfStale } from './build-if-stale.mjs';

const only = process.argv[2];
const benches = readdirSync('test/bench')
  .filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))
  .sort();
if (benches.length === 0) {
  console.error(`no benches found in test/bench${only ? ` matching "${only}"` : ''}`);
  process.exit(1);
}
// The port bench starts the built `switchboard serve`.
buildIfStale('npm run bench');
mkdirSync('.tmp', { recursive: true });

/** Bundles test/bench/`file` alone into .tmp/; returns the bundle's path. */
async function bundle(file) {
  const outfile = join('.tmp', `${basename(file, '.ts')}.mjs`);
  // Dependencies stay external: node resolves them from node_modules (native modules included).
  await build({
    entryPoints: [join('test/bench', file)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return outfile;
}

// Programs a bench starts as processes of their own (`*-main.ts`, e.g. the floor proxy), each bundled
// alone so that nothing of the bench's own code counts in their memory or their collections.
for (const file of readdirSync('test/bench').filter((f) => f.endsWith('-main.ts'))) await bundle(file);

let failed = 0;
for (const file of benches) {
  const outfile = await bundle(file);
  console.log(`\n== ${file}`);
  const result = spawnSync(process.execPath, [outfile], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (result.status !== 0) {
    failed++;
    console.error(`${file} failed (exit ${result.status ?? result.signal})`);
  }
}
process.exit(failed > 0 ? 1 : 0);
