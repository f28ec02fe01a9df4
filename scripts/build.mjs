// Builds everything that runs outside Vite's dev server: the CLI/engine, the Electron main and
// preload scripts (plain JS via esbuild, dependencies left external) and the renderer (Vite).
import { build } from 'esbuild';
import { cpSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

// Worker threads run files of their own (CommonJS, beside each bundle that starts them: the engine
// finds them next to its own bundle, electron/engine/worker-file.ts).
const workers = {
  'ledger-writer.worker': 'electron/engine/ledger/writer.worker.ts',
  'ledger-estimator.worker': 'electron/engine/ledger/estimator.worker.ts',
};
const buildWorkers = (outdir) => build({ ...common, entryPoints: workers, outdir, format: 'cjs', outExtension: { '.js': '.cjs' } });

await build({ ...common, entryPoints: ['electron/cli.ts'], outfile: 'dist/cli.js', format: 'esm' });
await buildWorkers('dist');
if (existsSync('electron/main.ts')) {
  await build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.js', format: 'esm', external: ['electron'] });
  await buildWorkers('dist/electron');
}
if (existsSync('electron/assets')) cpSync('electron/assets', 'dist/electron/assets', { recursive: true });
if (existsSync('electron/preload.ts')) {
  // A sandboxed preload must be CommonJS.
  await build({
    ...common,
    entryPoints: ['electron/preload.ts'],
    outfile: 'dist/electron/preload.cjs',
    format: 'cjs',
    external: ['electron'],
  });
}
if (existsSync('vite.config.ts') && !process.argv.includes('--no-renderer')) {
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
}
