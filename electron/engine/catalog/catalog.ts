// The price and context-window catalog: user overrides > the provider's config > a refreshed price
// list > the bundled snapshot > $0 for a keyless provider on this machine. A model none of them knows
// has an unknown price (never $0). Also the most output a model can produce, for budget reservations.
import type { Price } from '../../../shared/types';
import type { ProviderConfig } from '../settings/config-schema';
import { BUNDLED_SNAPSHOT, bundledProviders } from './bundled';
import { isLocalFree, LOCAL_PRICE } from './local-price';
import { maxOutputOf } from './output-limits';
import { findPriceModel, findPriceProvider, toPrice, type PriceDataProvider } from './price-data';

export type PriceSource = 'override' | 'config' | 'refreshed' | 'bundled' | 'local' | 'unknown';

export interface CatalogEntry {
  price?: Price;
  contextWindow?: number;
  /** The most output tokens one request can produce, where documented (catalog/output-limits.ts). */
  maxOutput?: number;
  source: PriceSource;
}

/** What the catalog reads of a provider's config (keys only to tell a keyless local server). */
export type CatalogProvider = Pick<ProviderConfig, 'id' | 'kind' | 'baseUrl' | 'models'> & { keys?: readonly unknown[] };

export interface CatalogState {
  /** `provider/model` -> price; set by the user, wins over everything. */
  overrides: Record<string, Price>;
  /** A price list fetched by refresh (genai-prices data.json shape), and when it was fetched. */
  refreshed?: { at: string; providers: PriceDataProvider[] };
}

export class Catalog {
  #state: CatalogState;
  // Looked up once per provider/model and kept until update() (called on every settings change, since
  // provider configs carry prices too): the hot path reads two Maps keyed by the config's own strings
  // (a `provider/model` key would be a new string to hash on every request).
  #memo = new Map<string, Map<string, CatalogEntry>>();

  constructor(state: CatalogState = { overrides: {} }) {
    this.#state = state;
  }

  get snapshot() {
    return { ...BUNDLED_SNAPSHOT, refreshedAt: this.#state.refreshed?.at ?? null };
  }

  update(state: Partial<CatalogState>): void {
    this.#state = { ...this.#state, ...state };
    this.#memo.clear();
  }

  lookup(provider: CatalogProvider, model: string): CatalogEntry {
    let models = this.#memo.get(provider.id);
    if (!models) this.#memo.set(provider.id, (models = new Map()));
    let entry = models.get(model);
    if (!entry) {
      entry = this.#resolve(provider, model, `${provider.id}/${model}`);
      models.set(model, entry);
    }
    return entry;
  }

  #resolve(provider: CatalogProvider, model: string, key: string): CatalogEntry {
    const fromData = (data: readonly PriceDataProvider[] | undefined) => {
      const p = data && findPriceProvider(data, provider.kind, provider.baseUrl);
      const m = p && findPriceModel(p, model);
      return m ? { price: toPrice(m.prices), contextWindow: m.context_window } : undefined;
    };
    const refreshed = fromData(this.#state.refreshed?.providers);
    const bundled = refreshed?.price ? undefined : fromData(bundledProviders());
    const configured = provider.models.find((m) => m.id === model);
    const contextWindow = configured?.contextWindow ?? refreshed?.contextWindow ?? bundled?.contextWindow;
    const maxOutput = maxOutputOf(model);
    const withWindow = (e: CatalogEntry): CatalogEntry => ({
      ...e,
      ...(contextWindow === undefined ? {} : { contextWindow }),
      ...(maxOutput === undefined ? {} : { maxOutput }),
    });
    const override = this.#state.overrides[key];
    if (override) return withWindow({ price: override, source: 'override' });
    if (configured?.price) return withWindow({ price: configured.price, source: 'config' });
    if (refreshed?.price) return withWindow({ price: refreshed.price, source: 'refreshed' });
    if (bundled?.price) return withWindow({ price: bundled.price, source: 'bundled' });
    if (isLocalFree(provider)) return withWindow({ price: LOCAL_PRICE, source: 'local' });
    return withWindow({ source: 'unknown' });
  }
}
