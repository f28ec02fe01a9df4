// Refreshes prices when online: the public genai-prices list (same shape as the bundled snapshot) and
// the provider's own model list where it carries prices and context windows (OpenRouter's /models).
// The result is kept in `<dataDir>/prices.json` (no secrets) and read at start.
import fs from 'node:fs';
import path from 'node:path';
import type { Transport, UpstreamCall } from '../providers/transport';
import type { ProviderConfig } from '../settings/config-schema';
import { modelListCall } from '../vault/key-test';
import type { ResolvedKey } from '../vault/types';
import type { PriceDataModel, PriceDataProvider } from './price-data';

import { PRICE_LIST_URL } from './price-snapshot.generated';

/** The public genai-prices list (its URL as the bundled package names it). */
export const priceListUrl = (): string => PRICE_LIST_URL;
const FILE = 'prices.json';

export interface RefreshedPrices {
  at: string;
  providers: PriceDataProvider[];
}

export function loadRefreshedPrices(dataDir: string): RefreshedPrices | undefined {
  try {
    const data = JSON.parse(fs.readFileSync(path.join(dataDir, FILE), 'utf8')) as RefreshedPrices;
    return Array.isArray(data.providers) && typeof data.at === 'string' ? data : undefined;
  } catch {
    return undefined; // none yet, or unreadable: the bundled snapshot still answers
  }
}

function checkPriceList(value: unknown, url: string): PriceDataProvider[] {
  if (!Array.isArray(value) || value.length === 0) throw new Error(`the price list at ${url} is not a list of providers`);
  for (const p of value) {
    if (!p || typeof p.id !== 'string' || !Array.isArray(p.models))
      throw new Error(`the price list at ${url} has a provider without id or models`);
  }
  return value as PriceDataProvider[];
}

async function getJson(transport: Transport, call: UpstreamCall, timeoutMs: number): Promise<unknown> {
  const res = await transport.send(call, AbortSignal.timeout(timeoutMs));
  const text = await res.body.text();
  if (res.status !== 200) throw new Error(`${call.url.split('?')[0]} answered ${res.status}`);
  return JSON.parse(text);
}

/** OpenRouter-style `/models` entries: `pricing.prompt` etc. are USD per token, as strings. */
function modelsWithPrices(provider: ProviderConfig, list: unknown): PriceDataProvider | undefined {
  const data = (list as { data?: unknown })?.data;
  if (!Array.isArray(data)) return undefined;
  const perMillion = (v: unknown) =>
    (typeof v === 'string' || typeof v === 'number') && Number.isFinite(Number(v)) && Number(v) >= 0 ? Number(v) * 1e6 : undefined;
  const models: PriceDataModel[] = [];
  for (const m of data as Array<Record<string, any>>) {
    if (typeof m.id !== 'string' || !m.pricing) continue;
    const prices: Record<string, number | undefined> = {
      input_mtok: perMillion(m.pricing.prompt),
      output_mtok: perMillion(m.pricing.completion),
      cache_read_mtok: perMillion(m.pricing.input_cache_read),
      cache_write_mtok: perMillion(m.pricing.input_cache_write),
    };
    models.push({
      id: m.id,
      match: { equals: m.id },
      prices,
      context_window: typeof m.context_length === 'number' ? m.context_length : undefined,
    });
  }
  // Keyed by the provider's own base URL, so it matches this provider before any other in lookups.
  const escaped = (provider.baseUrl ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return models.length ? { id: `models:${provider.id}`, api_pattern: `^${escaped}`, models } : undefined;
}

export interface RefreshOptions {
  transport: Transport;
  dataDir: string;
  providers: ProviderConfig[];
  keyFor: (provider: ProviderConfig) => ResolvedKey | undefined;
  priceListUrl?: string;
  timeoutMs?: number;
}

/** Fetches, validates and stores fresh prices; a failure leaves the previous prices in place. */
export async function refreshPrices(options: RefreshOptions): Promise<{ refreshed: RefreshedPrices; notes: string[] }> {
  const url = options.priceListUrl ?? priceListUrl();
  const timeoutMs = options.timeoutMs ?? 15_000;
  const list = checkPriceList(
    await getJson(options.transport, { url, method: 'GET', headers: { accept: 'application/json' } }, timeoutMs),
    url,
  );
  const notes: string[] = [];
  const fromProviders: PriceDataProvider[] = [];
  for (const provider of options.providers) {
    if (provider.kind !== 'openai-compatible' || !provider.baseUrl) continue;
    try {
      const found = modelsWithPrices(
        provider,
        await getJson(options.transport, modelListCall(provider, options.keyFor(provider)?.secret), timeoutMs),
      );
      if (found) fromProviders.push(found);
    } catch (error) {
      notes.push(`${provider.id}: model list not read (${(error as Error).message})`);
    }
  }
  const refreshed: RefreshedPrices = { at: new Date().toISOString(), providers: [...fromProviders, ...list] };
  const file = path.join(options.dataDir, FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(refreshed), { mode: 0o600 });
  fs.renameSync(tmp, file);
  return { refreshed, notes };
}
