// The routes service: routes as the UI shows them (nested groups listed in place, timeouts resolved),
// what the router knows of each target's health, the aliases, and route edits.
import type { RoutesService } from '../../../shared/contract';
import type { RouteInfo, RouteInput } from '../../../shared/types';
import { resolveTimeouts } from '../router/timeouts';
import type { RouteConfig } from '../settings/config-schema';
import { editConfig } from './config-edit';
import { routesHealth } from './routes-health';
import type { ServiceParts } from './service-parts';

function routeConfig(input: RouteInput): RouteConfig {
  if (!input || typeof input !== 'object' || !Array.isArray(input.targets)) throw new Error('a route needs a name, a strategy and targets');
  const r: Record<string, unknown> = {
    name: input.name,
    strategy: input.strategy,
    targets: input.targets.map((t) =>
      t.weight !== undefined && input.strategy === 'weighted'
        ? { provider: t.provider, model: t.model, weight: t.weight }
        : { provider: t.provider, model: t.model },
    ),
  };
  const timeouts = Object.fromEntries(Object.entries(input.timeouts ?? {}).filter(([, v]) => v !== undefined && v !== null));
  if (Object.keys(timeouts).length) r.timeouts = timeouts;
  return r as RouteConfig;
}

export function createRoutesService({ table, settings }: Pick<ServiceParts, 'table' | 'settings'>): RoutesService {
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
    async save(input, previousNameParam) {
      // Over JSON transports an absent argument arrives as null.
      const previousName = previousNameParam ?? undefined;
      editConfig(settings, (c) => {
        const next = routeConfig(input);
        const known = new Set(c.providers.map((p) => p.id));
        for (const t of next.targets)
          if ('provider' in t && !known.has(t.provider)) throw new Error(`route "${next.name}": no provider "${t.provider}"`);
        const at = previousName === undefined ? -1 : c.routes.findIndex((r) => r.name === previousName);
        if (previousName !== undefined && at < 0) throw new Error(`no route "${previousName}"`);
        const old = at >= 0 ? c.routes[at]! : undefined;
        // The editor shows flat targets: saving over nested groups would flatten them silently.
        if (old?.targets.some((t) => 'group' in t)) throw new Error(`route "${old.name}" has nested groups; edit it in the config file`);
        if (c.routes.some((r, i) => r.name === next.name && i !== at)) throw new Error(`a route named "${next.name}" exists already`);
        // Keep settings the editor does not show (sticky, contextFallback).
        // Timeouts absent from the input (a promote from compare) keep the route's own.
        const kept = old
          ? {
              ...(old.sticky !== undefined ? { sticky: old.sticky } : {}),
              ...(old.contextFallback !== undefined ? { contextFallback: old.contextFallback } : {}),
              ...(input.timeouts === undefined && old.timeouts ? { timeouts: old.timeouts } : {}),
            }
          : {};
        const routes = [...c.routes];
        if (at >= 0) routes[at] = { ...next, ...kept };
        else routes.push(next);
        return { ...c, routes };
      });
    },
    async remove(name) {
      let found = false;
      editConfig(settings, (c) => {
        found = c.routes.some((r) => r.name === name);
        return { ...c, routes: c.routes.filter((r) => r.name !== name) };
      });
      return found;
    },
  };
}
