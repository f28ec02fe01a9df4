#!/usr/bin/env node
// Entry point of the `switchboard` command: runs the CLI built from electron/cli.ts.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// A CommonJS bundle (scripts/build.mjs says why): required, it runs the command it is given.
const built = fileURLToPath(new URL('../dist/cli.cjs', import.meta.url));
if (!existsSync(built)) {
  console.error('switchboard: dist/cli.cjs is missing; run `npm run build` (npm start builds by itself).');
  process.exit(1);
}
createRequire(import.meta.url)(built);
