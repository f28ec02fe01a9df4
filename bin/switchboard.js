#!/usr/bin/env node
// Entry point of the `switchboard` command: runs the CLI built from electron/cli.ts.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(built)) {
  console.error('switchboard: dist/cli.js is missing; run `npm run build` (npm start builds by itself).');
  process.exit(1);
}
await import(built);
