// The port's memory tuning reaches every way we launch serve: `npm run serve` and `npm start`'s
// headless fallback pass the same node flags (the port bench launches with them too).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, no type declarations
import { SERVE_NODE_FLAGS } from '../../scripts/serve-flags.mjs';

describe('serve node flags', () => {
  it('`npm run serve` passes them to node', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.serve).toBe(`node ${(SERVE_NODE_FLAGS as string[]).join(' ')} bin/switchboard.js serve`);
  });

  it('`npm start` passes them on its headless fallback', () => {
    const start = readFileSync('scripts/start.mjs', 'utf8');
    expect(start).toMatch(/import \{ SERVE_NODE_FLAGS \} from '\.\/serve-flags\.mjs'/);
    expect(start).toMatch(/run\(process\.execPath, \[\.\.\.SERVE_NODE_FLAGS, /);
  });
});
