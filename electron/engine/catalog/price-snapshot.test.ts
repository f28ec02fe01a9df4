// The generated price snapshot must be what the installed @pydantic/genai-prices package says: after a
// package upgrade, `node scripts/snapshot-prices.mjs` regenerates it, and this test says so if not.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findPriceModel, findPriceProvider, toPrice } from './price-data';
import { bundledProviders } from './bundled';
// @ts-expect-error: a plain .mjs script, no type declarations
import { SNAPSHOT_FILE, snapshotSource } from '../../../scripts/snapshot-prices.mjs';

describe('bundled price snapshot', () => {
  it('matches the installed @pydantic/genai-prices package (regenerate with `node scripts/snapshot-prices.mjs`)', () => {
    expect(readFileSync(SNAPSHOT_FILE as string, 'utf8')).toBe((snapshotSource as () => string)());
  });

  it('answers prices and context windows by provider kind and by vendor base URL', () => {
    const data = bundledProviders();
    const openai = findPriceProvider(data, 'openai', undefined);
    const gpt = findPriceModel(openai!, 'gpt-4o-mini');
    expect(toPrice(gpt!.prices)).toMatchObject({ input: 0.15, output: 0.6 });
    expect(gpt!.context_window).toBeGreaterThan(100_000);
    expect(findPriceProvider(data, 'openai-compatible', 'https://api.deepseek.com/v1')?.id).toBe('deepseek');
    expect(findPriceProvider(data, 'openai-compatible', 'http://127.0.0.1:1234/v1')).toBeUndefined();
  });
});
