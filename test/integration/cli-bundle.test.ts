// The built CLI bundle as V8 holds it: its source stays in the heap for the life of `serve`, at one byte
// per character only when every character is Latin-1 (scripts/build.mjs asciiOnly says why it matters);
// and what it leaves out because every start would pay to load it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBuilt, repoRoot } from '../support/cli';

describe('the CLI bundle', () => {
  it('is ASCII only, so its 2.4 MB source is not held at two bytes per character', () => {
    assertBuilt();
    const source = readFileSync(join(repoRoot, 'dist/cli.cjs'), 'utf8');
    const wide = [...source.matchAll(/[\u0080-\uffff]/g)].map((m) => `${JSON.stringify(m[0])} at ${m.index}`);
    expect(wide).toEqual([]);
  });

  it("carries no JSON-schema validator nor semver: conf's options that need them are never given", () => {
    assertBuilt();
    const source = readFileSync(join(repoRoot, 'dist/cli.cjs'), 'utf8');
    // Markers of each library's own code (ajv's code generator, ajv-formats' format table, semver's range parser).
    expect(source).not.toContain('ajv/dist/compile');
    expect(source).not.toContain('ajv-formats/dist/formats');
    expect(source).not.toContain('semver/classes/range');
    expect(source).toContain('is not bundled: Switchboard gives conf no schema and no migrations');
  });
});
