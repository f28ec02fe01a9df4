// OpenRouter-compatible routing fields in a request body, so OpenRouter integrations work against the
// port: `models: [...]` (an ad-hoc fallback list) and `provider: { order, allow_fallbacks, sort, ignore, only }`.
// They are taken out of the body: upstreams other than OpenRouter reject fields they do not know.
import { RoutingError } from './failures';

export interface ProviderPreferences {
  order?: string[];
  allowFallbacks?: boolean;
  sort?: 'price' | 'throughput' | 'latency';
  ignore?: string[];
  only?: string[];
}

export interface RoutingExtensions {
  models?: string[];
  provider?: ProviderPreferences;
}

const bad = (message: string): RoutingError => new RoutingError(400, 'invalid_request_error', message, 'invalid_routing_field');

function stringList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.length === 0))
    throw bad(`\`${field}\` must be an array of non-empty strings`);
  return value as string[];
}

/** Splits routing extensions from the body; the body returned is what goes upstream. Throws a 400 on bad shapes. */
export function takeRoutingExtensions(body: Record<string, unknown>): { body: Record<string, unknown>; ext: RoutingExtensions | null } {
  if (body.models === undefined && body.provider === undefined) return { body, ext: null };
  const { models, provider, ...rest } = body;
  const ext: RoutingExtensions = {};
  if (models !== undefined) {
    ext.models = stringList(models, 'models');
    if (ext.models.length > 32) throw bad('`models` may list at most 32 models');
  }
  if (provider !== undefined) {
    if (!provider || typeof provider !== 'object' || Array.isArray(provider)) throw bad('`provider` must be an object');
    const p = provider as Record<string, unknown>;
    const prefs: ProviderPreferences = {};
    if (p.order !== undefined) prefs.order = stringList(p.order, 'provider.order');
    if (p.ignore !== undefined) prefs.ignore = stringList(p.ignore, 'provider.ignore');
    if (p.only !== undefined) prefs.only = stringList(p.only, 'provider.only');
    if (p.allow_fallbacks !== undefined) {
      if (typeof p.allow_fallbacks !== 'boolean') throw bad('`provider.allow_fallbacks` must be a boolean');
      prefs.allowFallbacks = p.allow_fallbacks;
    }
    if (p.sort !== undefined) {
      if (p.sort !== 'price' && p.sort !== 'throughput' && p.sort !== 'latency')
        throw bad('`provider.sort` must be "price", "throughput" or "latency"');
      prefs.sort = p.sort;
    }
    ext.provider = prefs;
  }
  return { body: rest, ext };
}
