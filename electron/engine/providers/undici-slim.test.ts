// The CLI bundle maps `undici` to scripts/undici-slim.cjs (scripts/build.mjs): every value the engine
// imports from undici must be there, or the built `serve` would meet `undefined` at run time.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');

function engineSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return engineSources(p);
    return /\.tsx?$/.test(d.name) && !/\.test\.tsx?$/.test(d.name) ? [p] : [];
  });
}

/** Values (not types) imported from 'undici' anywhere in electron/. */
function importedValues(): Set<string> {
  const names = new Set<string>();
  for (const file of engineSources(path.join(root, 'electron'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/import\s*(type\s+)?\{([^}]*)\}\s*from\s*'undici'/g)) {
      if (m[1]) continue;
      for (const part of m[2]!.split(',')) {
        const name = part.trim();
        if (name && !name.startsWith('type ')) names.add(name.split(/\s+as\s+/)[0]!);
      }
    }
    expect(readFileSync(file, 'utf8')).not.toMatch(/import\s+\w+\s+from\s+'undici'|import\s+\*\s+as\s+\w+\s+from\s+'undici'/);
  }
  return names;
}

describe('the slim undici of the CLI bundle', () => {
  it('exports every value the engine imports from undici, each the real one', () => {
    const slim = createRequire(import.meta.url)(path.join(root, 'scripts/undici-slim.cjs')) as Record<string, unknown>;
    const full = createRequire(import.meta.url)('undici') as Record<string, unknown>;
    const names = importedValues();
    expect(names.size).toBeGreaterThan(0);
    for (const name of names) {
      expect(slim[name], name).toBeDefined();
      expect(slim[name], name).toBe(full[name]);
    }
  });

  it('gives every dispatcher request(), as the full undici does', () => {
    const slim = createRequire(import.meta.url)(path.join(root, 'scripts/undici-slim.cjs')) as { Agent: new () => { request: unknown } };
    expect(typeof new slim.Agent().request).toBe('function');
  });
});

describe('the English-only zod of the CLI bundle', () => {
  it('is all the engine needs: no source sets or reads another language of zod (z.locales, z.config)', () => {
    const sources = [...engineSources(path.join(root, 'electron')), ...engineSources(path.join(root, 'shared'))];
    expect(sources.length).toBeGreaterThan(100);
    for (const file of sources)
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/\bz\.locales\b|\bz\.config\(\s*z\.locales|zod\/v4\/locales/);
  });
});
