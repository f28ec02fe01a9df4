// Pure helpers of the add-provider flow and the price editor: turning typed text into prices and
// context windows (blank stays unknown, never $0), the env variable name we suggest per provider, and
// how a price's origin and a key's source are told to the user.
import type { DiscoveredModel, ProviderSetupModel } from '../../../shared/setup-types';
import type { KeyInfo, ModelInfo, Price, ProviderPreset } from '../../../shared/types';

/** The price parts the forms edit, in the order shown, with their labels (USD per million tokens). */
export const PRICE_FIELDS: Array<{ key: keyof Price; label: string }> = [
  { key: 'input', label: 'Input' },
  { key: 'output', label: 'Output' },
  { key: 'cacheRead', label: 'Cached input' },
  { key: 'cacheWrite', label: 'Cache write' },
];

export type PriceText = Partial<Record<keyof Price, string>>;

export const presetValue = (p: ProviderPreset) => `${p.kind}:${p.id}`;

export { envNameFor } from '../../../shared/setup-types';

export const priceText = (price: Price | undefined): PriceText =>
  Object.fromEntries(PRICE_FIELDS.map(({ key }) => [key, price?.[key] === undefined ? '' : String(price[key])]));

/** A typed price: blank parts are left out; anything that is not a number of 0 or more is an error naming the part. */
export function parsePrice(text: PriceText, keep: Price = {}): { price?: Price; error?: string } {
  const price: Price = { ...keep };
  for (const { key, label } of PRICE_FIELDS) {
    const raw = (text[key] ?? '').trim();
    delete price[key];
    if (raw === '') continue;
    const n = Number(raw.replace(/^\$/, ''));
    if (!Number.isFinite(n) || n < 0) return { error: `${label} price: a number of dollars per million tokens, 0 or more (got "${raw}").` };
    price[key] = n;
  }
  return Object.keys(price).length > 0 ? { price } : {};
}

/** A typed context window: blank is unknown; otherwise a whole number of tokens (commas and spaces allowed). */
export function parseWindow(text: string): { contextWindow?: number; error?: string } {
  const raw = text.trim().replace(/[,\s_]/g, '');
  if (raw === '') return {};
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) return { error: `Context window: a whole number of tokens (got "${text.trim()}").` };
  return { contextWindow: n };
}

/** One row of the review step: what the user sees and edits for a model. */
export interface ModelRow {
  id: string;
  offered: boolean;
  window: string;
  price: PriceText;
  /** The catalog's suggestion, for the source column. */
  found?: DiscoveredModel;
}

export function rowFor(found: DiscoveredModel): ModelRow {
  return {
    id: found.id,
    offered: true,
    window: found.contextWindow ? String(found.contextWindow) : '',
    price: priceText(found.price),
    found,
  };
}

/** The rows the user kept, as the engine takes them; the first error found instead, naming the model. */
export function modelsFromRows(rows: readonly ModelRow[]): { models: ProviderSetupModel[]; error?: string } {
  const models: ProviderSetupModel[] = [];
  for (const row of rows) {
    if (!row.offered) continue;
    const w = parseWindow(row.window);
    if (w.error) return { models: [], error: `${row.id}: ${w.error}` };
    const p = parsePrice(row.price);
    if (p.error) return { models: [], error: `${row.id}: ${p.error}` };
    models.push({ id: row.id, ...(w.contextWindow ? { contextWindow: w.contextWindow } : {}), ...(p.price ? { price: p.price } : {}) });
  }
  if (models.length === 0) return { models, error: 'Choose at least one model to offer.' };
  return { models };
}

/** Where a suggested price came from, in words. */
export function suggestionLabel(found: DiscoveredModel | undefined): string {
  if (!found) return 'added by you';
  switch (found.source) {
    case 'catalog':
      return 'price list';
    case 'matched':
      return `as ${found.matchedFrom ?? 'its maker'}`;
    case 'local':
      return 'free (this machine)';
    default:
      return 'no price known';
  }
}

/** Where a configured model's price comes from, in words. */
export function priceSourceLabel(source: ModelInfo['priceSource']): string {
  switch (source) {
    case 'override':
      return 'your price';
    case 'config':
      return 'configured';
    case 'refreshed':
      return 'price list (refreshed)';
    case 'bundled':
      return 'price list';
    case 'local':
      return 'free (this machine)';
    default:
      return 'unknown';
  }
}

/** Where a configured key comes from, in words (as `switchboard key list` says it). */
export function keySourceLabel(k: Pick<KeyInfo, 'source' | 'envName' | 'filePath'>): string {
  switch (k.source) {
    case 'env':
      return `env ${k.envName ?? ''}`;
    case 'file':
      return `from file ${k.filePath ?? ''}`;
    case 'session':
      return 'this session only';
    default:
      return 'keychain';
  }
}

/** Keys the app can delete: the ones it stores. Env and file keys belong to the server's configuration. */
export const keyIsDeletable = (k: Pick<KeyInfo, 'source'>): boolean => k.source === 'keychain' || k.source === 'session';
