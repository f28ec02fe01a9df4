// Reads prices and context windows out of genai-prices data (the bundled package, or a refreshed
// copy of its public data.json): provider by id or API URL, model by its match rules.
import type { Price } from '../../../shared/types';

type Match =
  | { equals: string }
  | { starts_with: string }
  | { ends_with: string }
  | { contains: string }
  | { regex: string }
  | { and: Match[] }
  | { or: Match[] };
type Tiered = { base: number; tiers?: unknown[] };
type ModelPrice = Record<string, number | Tiered | undefined>;
export interface PriceDataModel {
  id: string;
  match: Match;
  context_window?: number;
  prices: ModelPrice | Array<{ constraint?: { type: string; start_date?: string }; prices: ModelPrice }>;
}
export interface PriceDataProvider {
  id: string;
  api_pattern?: string;
  models: PriceDataModel[];
}

export function matches(rule: Match | undefined, text: string): boolean {
  if (!rule) return false;
  if ('equals' in rule) return text === rule.equals;
  if ('starts_with' in rule) return text.startsWith(rule.starts_with);
  if ('ends_with' in rule) return text.endsWith(rule.ends_with);
  if ('contains' in rule) return text.includes(rule.contains);
  if ('regex' in rule) return new RegExp(rule.regex).test(text);
  if ('and' in rule) return rule.and.every((r) => matches(r, text));
  if ('or' in rule) return rule.or.some((r) => matches(r, text));
  return false;
}

const rate = (v: number | Tiered | undefined): number | undefined =>
  // Tiered prices (Anthropic's and Google's long-context rates) start at their base; the tier above
  // 200k input tokens is not modelled yet, so such requests are priced at the base rate.
  typeof v === 'number' ? v : v && typeof v.base === 'number' ? v.base : undefined;

/** The price in force at `at` (conditional prices carry start dates; the latest started one wins). */
export function toPrice(prices: PriceDataModel['prices'], at = Date.now()): Price | undefined {
  let mp: ModelPrice | undefined;
  if (Array.isArray(prices)) {
    for (const c of prices) {
      const start = c.constraint?.type === 'start_date' && c.constraint.start_date ? Date.parse(c.constraint.start_date) : -Infinity;
      if (!c.constraint || (c.constraint.type === 'start_date' && start <= at)) mp = c.prices;
    }
  } else mp = prices;
  if (!mp) return undefined;
  const price: Price = {};
  const put = (k: keyof Price, v: number | undefined) => {
    if (v !== undefined) price[k] = v;
  };
  put('input', rate(mp.input_mtok));
  put('output', rate(mp.output_mtok));
  put('cacheRead', rate(mp.cache_read_mtok));
  put('cacheWrite', rate(mp.cache_write_mtok));
  put('cacheWrite1h', rate(mp.cache_write_1h_mtok));
  put('reasoning', rate(mp.output_reasoning_mtok));
  return price.input === undefined && price.output === undefined ? undefined : price;
}

/** Our provider kinds and API URLs, to genai-prices provider ids. */
export function findPriceProvider(
  data: readonly PriceDataProvider[],
  kind: string,
  baseUrl: string | undefined,
): PriceDataProvider | undefined {
  const byKind: Record<string, string> = { openai: 'openai', anthropic: 'anthropic', gemini: 'google', 'azure-openai': 'azure' };
  if (baseUrl) {
    const byUrl = data.find((p) => p.api_pattern && new RegExp(p.api_pattern).test(baseUrl));
    if (byUrl) return byUrl;
  }
  const id = byKind[kind];
  return id ? data.find((p) => p.id === id) : undefined;
}

export function findPriceModel(provider: PriceDataProvider, model: string): PriceDataModel | undefined {
  return provider.models.find((m) => m.id === model) ?? provider.models.find((m) => matches(m.match, model));
}
