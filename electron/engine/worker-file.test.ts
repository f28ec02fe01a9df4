// Worker scripts: every source the engine can start exists, the build bundles each one into dist/
// (where the engine looks beside its own bundle), and from source it is compiled to a runnable file.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WORKER_SOURCES, workerScript, type WorkerName } from './worker-file';

const names = Object.keys(WORKER_SOURCES) as WorkerName[];

describe('worker scripts', () => {
  it('each has a source file, and scripts/build.mjs bundles it under its name', () => {
    const build = readFileSync(new URL('../../scripts/build.mjs', import.meta.url), 'utf8');
    for (const name of names) {
      expect(existsSync(new URL(WORKER_SOURCES[name], import.meta.url)), name).toBe(true);
      expect(build, name).toContain(`'${name}.worker': 'electron/engine/${WORKER_SOURCES[name].slice(2)}'`);
    }
  });

  it('run from source, resolves each to a compiled CommonJS file', () => {
    for (const name of names) {
      const file = fileURLToPath(workerScript(name));
      expect(file.endsWith('.cjs'), file).toBe(true);
      expect(readFileSync(file, 'utf8')).toContain('parentPort');
    }
  });
});
