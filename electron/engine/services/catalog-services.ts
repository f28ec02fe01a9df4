// Read-only services over the configuration: models, providers (keys masked) and routes.
import type { ModelsService, ProvidersService, RoutesService } from '../../../shared/contract';
import type { ModelChoice, ProviderInfo, RouteInfo } from '../../../shared/types';
import type { Catalog } from '../catalog/catalog';
import type { RouteTable } from '../router/resolve';
import { SUPPORTED_KINDS } from '../settings/config-schema';
import type { Vault } from '../vault/types';
import { routesHealth } from './routes-health-service';
import { resolveTimeouts } from '../router/timeouts';

export function createModelsService(table: () => RouteTable): ModelsService {
  return {
    async list(): Promise<ModelChoice[]> {
      const t = table();
      const routes: ModelChoice[] = t.routeList().map((r) => ({ id: r.name, kind: 'route', label: `${r.name} (route)` }));
      const models: ModelChoice[] = t
        .providerList()
        .flatMap((p) => p.models.map((m) => ({ id: `${p.id}/${m.id}`, kind: 'model' as const, label: `${p.id}/${m.id}` })));
      return [...routes, ...models];
    },
  };
}

export function createProvidersService(table: () => RouteTable, vault: Vault, catalog: Catalog): Pick<ProvidersService, 'list'> {
  return {
    async list(): Promise<ProviderInfo[]> {
      return table()
        .providerList()
        .map((p) => ({
          id: p.id,
          kind: p.kind,
          baseUrl: p.baseUrl,
          supported: SUPPORTED_KINDS.has(p.kind),
          models: p.models.map((m) => {
            // The catalog knows prices the config does not list (bundled snapshot, overrides, refresh).
            const entry = catalog.lookup(p, m.id);
            return { id: m.id, contextWindow: entry.contextWindow, price: entry.price, priceSource: entry.source };
          }),
          keys: vault.describe(p.id, p.keys),
        }));
    },
  };
}

export function createRoutesService(table: () => RouteTable): Omit<RoutesService, 'save' | 'remove'> {
  return {
    async list(): Promise<RouteInfo[]> {
      return table()
        .routeList()
        .map((r) => ({
          name: r.name,
          strategy: r.strategy,
          // A nested group lists its members in place (in order); the group's own strategy is in `steps`.
          targets: r.targets.flatMap((t) =>
            ('group' in t ? t.group.targets : [t]).map((x) => ({
              provider: x.provider,
              model: x.model,
              ...(x.weight !== undefined ? { weight: x.weight } : {}),
            })),
          ),
          timeouts: resolveTimeouts(r.timeouts),
          ...(r.timeouts ? { configuredTimeouts: { ...r.timeouts } } : {}),
        }));
    },
    health: () => routesHealth(table()),
    aliases: async () => table().aliases.map((a) => ({ match: a.match, to: a.to })),
  };
}
