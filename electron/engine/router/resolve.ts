// Resolves the model name a client sent into a route plan: a route name, an alias (exact or with `*`
// wildcards), `provider/model`, or a bare model id offered by a configured provider; plus the
// OpenRouter-style `models` / `provider` extensions. Lookups are built once per settings change.
import type { Price } from '../../../shared/types';
import type { AliasConfig, ProviderConfig, RouteConfig } from '../settings/config-schema';
import type { RoutingExtensions } from './extensions';
import { RoutingError } from './failures';
import { RouterHealth, targetId } from './health';
import { DEFAULT_TIMEOUTS, resolveTimeouts, type Timeouts } from './timeouts';

export interface Target {
  provider: ProviderConfig;
  model: string;
  price?: Price;
  contextWindow?: number;
}

export type Strategy = RouteConfig['strategy'];
export interface Member {
  target: Target;
  weight: number;
}
/** One step of a route: a single target, or a group ordered by its own strategy. */
export type Step = { strategy: Strategy; members: Member[]; weight: number };

export interface RoutePlan {
  strategy: Strategy;
  steps: Step[];
  timeouts: Timeouts;
  contextFallback: boolean;
  sticky: boolean;
  health: RouterHealth;
  /** `provider.allow_fallbacks: false`: only the first candidate is tried. */
  noFallbacks?: boolean;
}

export interface Resolution {
  /** The route name when the request addressed a route (directly or through an alias). */
  route: string | null;
  /** Every candidate in configured order (the plan orders them per request). */
  targets: Target[];
  plan: RoutePlan;
}

const single = (target: Target): Step => ({ strategy: 'fallback', members: [{ target, weight: 1 }], weight: 1 });

/**
 * A plan for one target outside any route (count_tokens asks the first target only): default
 * timeouts, no sticky sessions, and the health the caller keeps for such requests.
 */
export const directPlan = (target: Target, health: RouterHealth): RoutePlan => ({
  strategy: 'fallback',
  steps: [single(target)],
  timeouts: DEFAULT_TIMEOUTS,
  contextFallback: true,
  sticky: false,
  health,
});

/** Model-id families a provider kind serves, for bare ids the user did not list (`claude-sonnet-4-5`). */
const FAMILY: Array<[RegExp, string[]]> = [
  [/^claude-/, ['anthropic']],
  [/^(gpt-|chatgpt-|o[1-9](-|$)|text-embedding-)/, ['openai', 'azure-openai']],
  [/^(gemini-|gemma-)/, ['gemini']],
];

function wildcard(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/** Distinct plain model names whose resolution is kept. */
const MAX_CACHED_RESOLUTIONS = 1000;

export class RouteTable {
  private readonly providers = new Map<string, ProviderConfig>();
  private readonly routes = new Map<string, RouteConfig>();
  private readonly byModel = new Map<string, Target[]>();
  private readonly exactAliases = new Map<string, string>();
  private readonly wildAliases: Array<[RegExp, string]> = [];
  /** Each route's steps and timeouts, built once (resolving then allocates only the plan object). */
  private readonly compiled = new Map<string, { steps: Step[]; timeouts: Timeouts }>();
  /** Resolutions of plain names (no `models`/`provider` extensions), made once: the table is rebuilt on any config change. */
  private readonly resolved = new Map<string, Resolution>();
  readonly health: RouterHealth;

  constructor(
    providers: ProviderConfig[],
    routes: RouteConfig[],
    readonly aliases: AliasConfig[] = [],
    health?: RouterHealth,
  ) {
    this.health = health ?? new RouterHealth();
    for (const p of providers) this.providers.set(p.id, p);
    for (const r of routes) this.routes.set(r.name, r);
    for (const p of providers) {
      for (const m of p.models) {
        const list = this.byModel.get(m.id) ?? [];
        list.push(this.target(p.id, m.id)!);
        this.byModel.set(m.id, list);
      }
    }
    for (const r of routes) this.compiled.set(r.name, { steps: this.routeSteps(r), timeouts: resolveTimeouts(r.timeouts) });
    for (const a of aliases) {
      if (a.match.includes('*')) this.wildAliases.push([wildcard(a.match), a.to]);
      else if (!this.exactAliases.has(a.match)) this.exactAliases.set(a.match, a.to);
    }
    // Health keeps these whatever the traffic; made-up `provider/model` names share a capped set.
    const configured = new Set<string>();
    for (const list of this.byModel.values()) for (const t of list) configured.add(targetId(t.provider.id, t.model));
    for (const { steps } of this.compiled.values())
      for (const s of steps) for (const m of s.members) configured.add(targetId(m.target.provider.id, m.target.model));
    this.health.setConfigured(configured);
  }

  target(providerId: string, model: string): Target | undefined {
    const provider = this.providers.get(providerId);
    if (!provider) return undefined;
    const info = provider.models.find((m) => m.id === model);
    return { provider, model, price: info?.price, contextWindow: info?.contextWindow };
  }

  private plan(steps: Step[], route?: RouteConfig): RoutePlan {
    return {
      strategy: route?.strategy ?? 'fallback',
      steps: [...steps], // the request may add `models` candidates; the compiled list stays as it is
      timeouts: (route && this.compiled.get(route.name)?.timeouts) ?? DEFAULT_TIMEOUTS,
      contextFallback: route?.contextFallback ?? true,
      sticky: route?.sticky ?? true,
      health: this.health,
    };
  }

  private routeSteps(route: RouteConfig): Step[] {
    const steps: Step[] = [];
    for (const t of route.targets) {
      if ('group' in t) {
        const members = t.group.targets.flatMap((m) => {
          const target = this.target(m.provider, m.model);
          return target ? [{ target, weight: m.weight ?? 1 }] : [];
        });
        if (members.length) steps.push({ strategy: t.group.strategy, members, weight: t.weight ?? 1 });
      } else {
        const target = this.target(t.provider, t.model);
        if (target) steps.push({ ...single(target), weight: t.weight ?? 1 });
      }
    }
    return steps;
  }

  /** One name to steps and route, or undefined when nothing matches. Aliases are followed once. */
  private lookup(name: string, viaAlias = false): { route: RouteConfig | null; steps: Step[] } | undefined {
    const route = this.routes.get(name);
    if (route) {
      const steps = this.compiled.get(name)!.steps;
      if (steps.length === 0) throw new RoutingError(503, 'api_error', `route "${name}" has no target whose provider is configured`);
      return { route, steps };
    }
    const slash = name.indexOf('/');
    // `provider/` with no model after it names nothing: it falls through to "does not exist", never upstream.
    if (slash > 0 && slash < name.length - 1 && this.providers.has(name.slice(0, slash)))
      return { route: null, steps: [single(this.target(name.slice(0, slash), name.slice(slash + 1))!)] };
    if (!viaAlias) {
      const to = this.exactAliases.get(name) ?? this.wildAliases.find(([re]) => re.test(name))?.[1];
      if (to !== undefined) return this.lookup(to, true);
    }
    const offered = this.byModel.get(name);
    if (offered) return { route: null, steps: offered.map(single) };
    for (const [re, kinds] of FAMILY) {
      if (!re.test(name)) continue;
      const steps = this.providerList()
        .filter((p) => kinds.includes(p.kind))
        .map((p) => single(this.target(p.id, name)!));
      if (steps.length) return { route: null, steps };
    }
    return undefined;
  }

  resolve(name: string, ext?: RoutingExtensions | null): Resolution {
    const plain = !ext?.models?.length && !ext?.provider;
    const cached = plain ? this.resolved.get(name) : undefined;
    if (cached) return cached;
    const resolution = this.build(name, ext);
    // Bounded: model names are the client's to choose (family matches accept any suffix).
    if (plain && this.resolved.size < MAX_CACHED_RESOLUTIONS) this.resolved.set(name, resolution);
    return resolution;
  }

  private build(name: string, ext?: RoutingExtensions | null): Resolution {
    const found = this.lookup(name);
    if (!found && !ext?.models?.length) {
      throw new RoutingError(
        404,
        'not_found_error',
        `The model \`${name}\` does not exist: use a route name, provider/model, a model id a provider offers, or an alias (GET /v1/models lists them)`,
        'model_not_found',
      );
    }
    const plan = this.plan(found?.steps ?? [], found?.route ?? undefined);
    // `models: [...]`: more candidates after the primary model, in the order given.
    for (const extra of ext?.models ?? []) {
      if (extra === name) continue;
      const more = this.lookup(extra);
      if (more) plan.steps.push(...more.steps);
    }
    if (ext?.provider) applyPreferences(plan, ext.provider);
    if (plan.steps.length === 0)
      throw new RoutingError(
        404,
        'not_found_error',
        `no configured provider can serve \`${name}\` with the requested provider preferences`,
        'model_not_found',
      );
    return { route: found?.route?.name ?? null, targets: plan.steps.flatMap((s) => s.members.map((m) => m.target)), plan };
  }

  routeList(): RouteConfig[] {
    return [...this.routes.values()];
  }

  providerList(): ProviderConfig[] {
    return [...this.providers.values()];
  }
}

/** OpenRouter's `provider` object: drop ignored providers, put `order` first, maybe sort or forbid fallbacks. */
function applyPreferences(plan: RoutePlan, prefs: NonNullable<RoutingExtensions['provider']>): void {
  const keep = (m: Member) => !prefs.ignore?.includes(m.target.provider.id) && (!prefs.only || prefs.only.includes(m.target.provider.id));
  let steps = plan.steps.map((s) => ({ ...s, members: s.members.filter(keep) })).filter((s) => s.members.length > 0);
  if (prefs.order?.length) {
    const rank = (s: Step) => {
      const i = prefs.order!.indexOf(s.members[0]!.target.provider.id);
      return i === -1 ? prefs.order!.length : i;
    };
    // Sorting a copy keeps the configured order among equals (Array.prototype.sort is stable).
    steps = steps
      .map((s) => (s.members.length > 1 ? s.members.map((m) => single(m.target)) : [s]))
      .flat()
      .sort((a, b) => rank(a) - rank(b));
    plan.strategy = 'fallback';
  }
  if (prefs.sort) plan.strategy = prefs.sort === 'price' ? 'lowest-cost' : 'lowest-latency';
  // OpenRouter: without fallbacks only the providers named in `order` are used; with no order, the first.
  if (prefs.allowFallbacks === false && prefs.order?.length)
    steps = steps.filter((s) => prefs.order!.includes(s.members[0]!.target.provider.id));
  else if (prefs.allowFallbacks === false) plan.noFallbacks = true;
  plan.steps = steps;
}
