// Suggests a price and context window for a model a provider lists: the catalog's own entry for that
// provider first, else the same model id at the vendor that makes it (a server reselling `gpt-4o-mini`
// is priced like OpenAI until the user says otherwise). Also decides which confirmed values are worth
// writing to the config, so a price that only repeats the catalog keeps following its refreshes.
import type { DiscoveredModel, ProviderSetupModel } from '../../../shared/setup-types';
import type { Price } from '../../../shared/types';
import { bundledProviders } from './bundled';
import type { Catalog, CatalogEntry, CatalogProvider } from './catalog';
import { toPrice, type PriceDataModel, type PriceDataProvider } from './price-data';

/** Vendors that make the models they price: a reseller's copy of their model costs about what theirs does. */
const HOME_VENDORS = ['openai', 'anthropic', 'google', 'mistral', 'deepseek', 'x-ai', 'cohere'] as const;

type Rule = PriceDataModel['match'];

/** Only exact names count across vendors: a prefix rule (`gpt-4`) would price a stranger's fine-tune. */
function equalsRule(rule: Rule | undefined, text: string): boolean {
  if (!rule) return false;
  if ('equals' in rule) return rule.equals === text;
  if ('or' in rule) return rule.or.some((r) => equalsRule(r, text));
  return false;
}

function homeMatch(
  modelId: string,
  data: readonly PriceDataProvider[] = bundledProviders(),
): { from: string; price: Price; contextWindow?: number } | undefined {
  // `openai/gpt-4o-mini` (aggregators name the vendor first): look at that vendor only.
  const slash = modelId.indexOf('/');
  const vendorHint = slash > 0 ? modelId.slice(0, slash).toLowerCase() : undefined;
  const bare = slash > 0 ? modelId.slice(slash + 1) : modelId;
  const vendors = vendorHint ? HOME_VENDORS.filter((v) => v === vendorHint || (vendorHint === 'xai' && v === 'x-ai')) : HOME_VENDORS;
  for (const vendor of vendors) {
    const provider = data.find((p) => p.id === vendor);
    const model = provider?.models.find((m) => m.id === bare || equalsRule(m.match, bare));
    const price = model && toPrice(model.prices);
    if (model && price)
      return { from: `${vendor}/${model.id}`, price, ...(model.context_window ? { contextWindow: model.context_window } : {}) };
  }
  return undefined;
}

/** What the catalog says about `modelId` at `provider` (a provider not yet added is fine). */
export function suggestModel(catalog: Catalog, provider: CatalogProvider, modelId: string): DiscoveredModel {
  const entry = lookupFresh(catalog, provider, modelId);
  const window = entry.contextWindow === undefined ? {} : { contextWindow: entry.contextWindow };
  if (entry.source === 'local') return { id: modelId, ...window, ...(entry.price ? { price: entry.price } : {}), source: 'local' };
  if (entry.price && entry.source !== 'unknown') return { id: modelId, ...window, price: entry.price, source: 'catalog' };
  const home = homeMatch(modelId);
  if (home)
    return {
      id: modelId,
      contextWindow: entry.contextWindow ?? home.contextWindow,
      price: home.price,
      source: 'matched',
      matchedFrom: home.from,
    };
  return { id: modelId, ...window, source: 'unknown' };
}

/**
 * The model as it should be written to the provider's config: a price or window that equals what the
 * catalog would find on its own is left out, so later refreshes of the price list still reach it.
 */
export function configModel(catalog: Catalog, provider: CatalogProvider, model: ProviderSetupModel): ProviderSetupModel {
  const entry = lookupFresh(catalog, provider, model.id);
  const fromList = entry.source === 'bundled' || entry.source === 'refreshed' || entry.source === 'local';
  const out: ProviderSetupModel = { id: model.id };
  const price = cleanPrice(model.price);
  if (price && !(fromList && samePrice(price, entry.price))) out.price = price;
  if (model.contextWindow !== undefined && model.contextWindow !== entry.contextWindow) out.contextWindow = model.contextWindow;
  return out;
}

/** Drops absent parts; no part at all is no price (unknown), never $0. */
export function cleanPrice(price: Price | undefined): Price | undefined {
  if (!price) return undefined;
  const out: Price = {};
  for (const [k, v] of Object.entries(price) as Array<[keyof Price, number | undefined | null]>) if (typeof v === 'number') out[k] = v;
  return Object.keys(out).length > 0 ? out : undefined;
}

function samePrice(a: Price, b: Price | undefined): boolean {
  if (!b) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof Price>;
  return [...keys].every((k) => a[k] === b[k]);
}

/**
 * The catalog memoises per `provider/model` until its next update; a provider being set up may be
 * looked at with several base URLs before it exists, so the memo is dropped around these lookups.
 */
function lookupFresh(catalog: Catalog, provider: CatalogProvider, modelId: string): CatalogEntry {
  catalog.update({});
  const entry = catalog.lookup({ ...provider, models: [] }, modelId);
  catalog.update({});
  return entry;
}
