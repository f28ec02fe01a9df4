// Catalog refresh against recorded responses on loopback: the public price list and an
// OpenRouter-style model list with prices. A failed refresh leaves the previous prices in place.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../electron/engine/catalog/catalog';
import { loadRefreshedPrices, refreshPrices } from '../../electron/engine/catalog/refresh';
import { Transport } from '../../electron/engine/providers/transport';
import { startPriceListFake, type PriceListFake } from '../fakes/price-list-fake';

let fake: PriceListFake;
let dataDir: string;
const transport = new Transport();
beforeAll(async () => {
  fake = await startPriceListFake();
  dataDir = mkdtempSync(join(tmpdir(), 'sb-refresh-'));
});
afterAll(async () => {
  await fake.close();
  await transport.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('catalog refresh', () => {
  it('reads the price list and a provider model list, stores them, and prices from them', async () => {
    const orProvider = { id: 'or', kind: 'openai-compatible' as const, baseUrl: fake.openRouterBaseUrl, keys: [], models: [] };
    const { refreshed, notes } = await refreshPrices({
      transport,
      dataDir,
      providers: [orProvider],
      keyFor: () => ({ label: 'default', secret: 'sk-or-test-0123456789' }),
      priceListUrl: fake.priceListUrl,
    });
    expect(notes).toEqual([]);
    expect(fake.requests.map((r) => r.path)).toEqual(['/prices/data.json', '/api/v1/models']);
    expect(fake.requests[1]!.authorization).toBe('Bearer sk-or-test-0123456789');
    expect(loadRefreshedPrices(dataDir)).toEqual(refreshed);
    expect(readFileSync(join(dataDir, 'prices.json'), 'utf8')).not.toContain('sk-or-test');

    const catalog = new Catalog();
    catalog.update({ refreshed });
    expect(catalog.lookup({ id: 'openai', kind: 'openai', models: [] }, 'gpt-4o-mini')).toEqual({
      price: { input: 0.15, output: 0.6, cacheRead: 0.075 },
      contextWindow: 128_000,
      maxOutput: 16_384,
      source: 'refreshed',
    });
    // From the OpenRouter model list: USD per token strings become per-million prices; context from context_length.
    expect(catalog.lookup(orProvider, 'anthropic/claude-sonnet-4.5')).toEqual({
      price: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
      contextWindow: 1_000_000,
      source: 'refreshed',
    });
    // A negative "-1" price (OpenRouter's router pseudo-model) is no price at all.
    expect(catalog.lookup(orProvider, 'openrouter/auto').source).toBe('unknown');
    // Models the refreshed list does not carry still come from the bundled snapshot.
    expect(catalog.lookup({ id: 'anthropic', kind: 'anthropic', models: [] }, 'claude-opus-4-1').source).toBe('bundled');
    expect(catalog.snapshot).toMatchObject({ source: '@pydantic/genai-prices@0.1.8', date: '2026-09-23', refreshedAt: refreshed.at });
  });

  it('keeps the previous prices when the price list cannot be fetched', async () => {
    const before = readFileSync(join(dataDir, 'prices.json'), 'utf8');
    fake.fault(503);
    await expect(
      refreshPrices({ transport, dataDir, providers: [], keyFor: () => undefined, priceListUrl: fake.priceListUrl }),
    ).rejects.toThrow(/answered 503/);
    fake.fault(null);
    expect(readFileSync(join(dataDir, 'prices.json'), 'utf8')).toBe(before);
  });
});
