// libsql, required when a ledger first opens, so a CLI command that never opens one never loads the
// native module. A CommonJS package imported from an ES module is first scanned for its exports (tens of
// ms at every start); `require` skips that. The CLI bundle (scripts/build.mjs defines the flag below)
// carries libsql's JavaScript and takes the literal `require`, which esbuild bundles to run on first
// call; run from source (tests) or from an ES module bundle (the Electron main process), libsql comes
// from node_modules.
import { createRequire } from 'node:module';
import type Database from 'libsql';

declare const __SB_BUNDLED_LIBSQL__: boolean | undefined;

export const loadLibsql = (): typeof Database =>
  (typeof __SB_BUNDLED_LIBSQL__ !== 'undefined' && __SB_BUNDLED_LIBSQL__
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- a literal require is what esbuild bundles
      require('libsql')
    : createRequire(import.meta.url)('libsql')) as typeof Database;
