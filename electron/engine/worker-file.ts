// Finds the script of a worker thread: the bundle scripts/build.mjs writes beside the running bundle
// (dist/), or, when the engine runs from source (vitest), its TypeScript compiled once by esbuild
// into node_modules/.cache, where its imports (libsql, gpt-tokenizer) resolve as they do in dist/.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Esbuild from 'esbuild';

/** Each worker's source, relative to this file; the build names its bundle `<name>.worker.cjs`. */
export const WORKER_SOURCES = {
  'ledger-writer': './ledger/writer.worker.ts',
  'ledger-estimator': './ledger/estimator.worker.ts',
} as const;

export type WorkerName = keyof typeof WORKER_SOURCES;

/** A worker's script is neither bundled nor available as source (a broken install). */
export class WorkerScriptMissingError extends Error {
  constructor(name: WorkerName, cause?: unknown) {
    super(`the ${name} worker script is missing; run \`npm run build\``, { cause });
    this.name = 'WorkerScriptMissingError';
  }
}

const found = new Map<WorkerName, URL>();

export function workerScript(name: WorkerName): URL {
  let url = found.get(name);
  if (!url) {
    const built = new URL(`./${name}.worker.cjs`, import.meta.url);
    url = existsSync(built) ? built : compiledFromSource(name);
    found.set(name, url);
  }
  return url;
}

/** Bundles the worker's TypeScript (CommonJS, dependencies left to node_modules), keyed by its content. */
function compiledFromSource(name: WorkerName): URL {
  const source = fileURLToPath(new URL(WORKER_SOURCES[name], import.meta.url));
  if (!existsSync(source)) throw new WorkerScriptMissingError(name);
  const require = createRequire(import.meta.url);
  let esbuild: typeof Esbuild;
  try {
    esbuild = require('esbuild') as typeof Esbuild;
  } catch (error) {
    throw new WorkerScriptMissingError(name, error);
  }
  const out = esbuild.buildSync({
    entryPoints: [source],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    write: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]!.contents;
  const nodeModules = path.dirname(path.dirname(require.resolve('esbuild/package.json')));
  const dir = path.join(nodeModules, '.cache', 'switchboard-workers');
  const file = path.join(dir, `${name}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.cjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    // Test processes start workers at once: each writes its own file and renames it into place.
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, file);
  }
  return pathToFileURL(file);
}
