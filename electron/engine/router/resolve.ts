// Resolves the model name a client sent into ordered candidate targets: a route name, or
// `provider/model` for one provider's model.
import type { Price } from '../../../shared/types';
import type { ProviderConfig, RouteConfig } from '../settings/config-schema';
import { RoutingError } from './failures';

export interface Target {
  provider: ProviderConfig;
  model: string;
  price?: Price;
  contextWindow?: number;
}

export interface Resolution {
  /** The route name when the request addressed a route. */
  route: string | null;
  targets: Target[];
}

/** A lookup built once per settings change so resolving on the hot path is two map reads. */
export class RouteTable {
  private readonly providers = new Map<string, ProviderConfig>();
  private readonly routes = new Map<string, RouteConfig>();

  constructor(providers: ProviderConfig[], routes: RouteConfig[]) {
    for (const p of providers) this.providers.set(p.id, p);
    for (const r of routes) this.routes.set(r.name, r);
  }

  target(providerId: string, model: string): Target | undefined {
    const provider = this.providers.get(providerId);
    if (!provider) return undefined;
    const info = provider.models.find((m) => m.id === model);
    return { provider, model, price: info?.price, contextWindow: info?.contextWindow };
  }

  resolve(name: string): Resolution {
    const route = this.routes.get(name);
    if (route) {
      const targets: Target[] = [];
      for (const t of route.targets) {
        const target = this.target(t.provider, t.model);
        if (target) targets.push(target);
      }
      if (targets.length === 0) throw new RoutingError(503, 'api_error', `route "${name}" has no target whose provider is configured`);
      return { route: name, targets };
    }
    const slash = name.indexOf('/');
    if (slash > 0) {
      const target = this.target(name.slice(0, slash), name.slice(slash + 1));
      if (target) return { route: null, targets: [target] };
    }
    throw new RoutingError(404, 'not_found_error', `The model \`${name}\` does not exist: use a route name or provider/model (GET /v1/models lists them)`, 'model_not_found');
  }

  routeList(): RouteConfig[] {
    return [...this.routes.values()];
  }

  providerList(): ProviderConfig[] {
    return [...this.providers.values()];
  }
}
