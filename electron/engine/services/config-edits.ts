// Edits of providers, routes and keys from the app: each change is validated against the whole
// config (so a bad edit names its field and changes nothing) and written in one atomic settings write.
import type { KeysService, ProvidersService, RoutesService, SettingsService } from '../../../shared/contract';
import type { KeyInfo, ProviderInput, ProviderPreset, RouteInput } from '../../../shared/types';
import path from 'node:path';
import { listUpstreamModels } from '../providers/models';
import { PRESETS } from '../providers/presets';
import type { Transport } from '../providers/transport';
import { parseConfig, type KeyConfig, type ProviderConfig, type RouteConfig } from '../settings/config-schema';
import { APP_DEFAULTS } from '../settings/settings-store';
import type { SettingsStore } from '../settings/types';
import type { Vault } from '../vault/types';
import { DEFAULT_LABEL } from '../vault/vault';

const KINDS: ProviderPreset[] = [
  { id: 'openai', kind: 'openai', label: 'OpenAI', needsBaseUrl: false, keyless: false },
  { id: 'anthropic', kind: 'anthropic', label: 'Anthropic', needsBaseUrl: false, keyless: false },
  { id: 'gemini', kind: 'gemini', label: 'Google Gemini', needsBaseUrl: false, keyless: false },
  { id: 'azure', kind: 'azure-openai', label: 'Azure OpenAI', needsBaseUrl: true, keyless: false },
  { id: 'ollama', kind: 'ollama', label: 'Ollama (local)', needsBaseUrl: false, keyless: true },
  { id: 'custom', kind: 'openai-compatible', label: 'Other OpenAI-compatible server', needsBaseUrl: true, keyless: false },
];

export function providerPresets(): ProviderPreset[] {
  const vendors = PRESETS.map((p): ProviderPreset => ({
    id: p.id,
    kind: 'openai-compatible',
    label: p.id,
    baseUrl: p.baseUrl,
    needsBaseUrl: false,
    keyless: p.keyless === true,
  }));
  return [...KINDS, ...vendors];
}

/** Applies `change` to the stored providers and routes, validates the result, and writes it at once. */
export function edit(
  settings: SettingsStore,
  change: (c: { providers: ProviderConfig[]; routes: RouteConfig[] }) => { providers: ProviderConfig[]; routes: RouteConfig[] },
): void {
  const data = settings.read();
  const next = change({ providers: structuredClone(data.providers), routes: structuredClone(data.routes) });
  const checked = parseConfig(
    {
      providers: next.providers,
      routes: next.routes,
      ...(data.aliases ? { aliases: data.aliases } : {}),
      ...(data.health ? { health: data.health } : {}),
    },
    'the change',
  );
  settings.seed({
    providers: checked.providers,
    routes: checked.routes,
    ...(checked.aliases ? { aliases: checked.aliases } : {}),
    ...(checked.health ? { health: checked.health } : {}),
  });
}

function providerConfig(input: ProviderInput, keys: KeyConfig[]): ProviderConfig {
  if (!input || typeof input !== 'object') throw new Error('a provider needs an id and a kind');
  const p: Record<string, unknown> = { id: input.id, kind: input.kind, keys, models: input.models ?? [] };
  if (input.baseUrl) p.baseUrl = input.baseUrl;
  return p as ProviderConfig;
}

const routesUsing = (routes: RouteConfig[], id: string) =>
  routes
    .filter((r) => r.targets.some((t) => ('group' in t ? t.group.targets.some((x) => x.provider === id) : t.provider === id)))
    .map((r) => r.name);

export function createProviderEdits(
  settings: SettingsStore,
  vault: Vault,
  transport: Transport,
): Omit<ProvidersService, 'list' | 'discover' | 'create' | 'available' | 'addModels'> {
  const find = (id: string) => {
    const p = settings.read().providers.find((x) => x.id === id);
    if (!p) throw new Error(`no provider "${id}"`);
    return p;
  };
  return {
    presets: async () => providerPresets(),
    async add(input) {
      edit(settings, (c) => {
        if (c.providers.some((p) => p.id === input?.id)) throw new Error(`a provider named "${input.id}" exists already`);
        return { ...c, providers: [...c.providers, providerConfig(input, [])] };
      });
    },
    async update(id, input) {
      const old = find(id);
      if (input.id !== id) throw new Error('a provider cannot be renamed; add a new one and remove this one');
      edit(settings, (c) => ({ ...c, providers: c.providers.map((p) => (p.id === id ? providerConfig(input, old.keys) : p)) }));
    },
    async remove(id) {
      const old = find(id);
      const using = routesUsing(settings.read().routes, id);
      if (using.length)
        throw new Error(
          `"${id}" is used by route${using.length > 1 ? 's' : ''} ${using.join(', ')}: change ${using.length > 1 ? 'them' : 'it'} first`,
        );
      edit(settings, (c) => ({ ...c, providers: c.providers.filter((p) => p.id !== id) }));
      for (const k of old.keys) if ('keychain' in k) vault.deleteKeychainKey(id, k.label ?? DEFAULT_LABEL);
    },
    async models(id) {
      const p = find(id);
      const key = vault.keysFor(p.id, p.keys)[0];
      return listUpstreamModels(transport, p, key?.secret ?? '');
    },
  };
}

/** Refuses anything that cannot be an API key, without echoing it. */
function checkSecret(secret: unknown): string {
  if (typeof secret !== 'string') throw new Error('the key must be text');
  const s = secret.trim();
  if (s.length < 8 || s.length > 4096 || /\s/.test(s))
    throw new Error('that does not look like an API key (8 to 4096 characters, no spaces)');
  return s;
}

export function createKeyEdits(settings: SettingsStore, vault: Vault): Pick<KeysService, 'set' | 'remove'> {
  return {
    async set(providerId, label, secret): Promise<KeyInfo> {
      const name = (label ?? '').trim() || DEFAULT_LABEL;
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error('a key label is letters, digits, ".", "_" or "-"');
      const value = checkSecret(secret);
      const provider = settings.read().providers.find((p) => p.id === providerId);
      if (!provider) throw new Error(`no provider "${providerId}"`);
      vault.setKeychainKey(providerId, name, value);
      const listed = provider.keys.some((k) => (k.label ?? DEFAULT_LABEL) === name && 'keychain' in k);
      if (!listed) {
        edit(settings, (c) => ({
          ...c,
          providers: c.providers.map((p) =>
            p.id === providerId
              ? { ...p, keys: [...p.keys.filter((k) => (k.label ?? DEFAULT_LABEL) !== name), { keychain: true as const, label: name }] }
              : p,
          ),
        }));
      }
      const keys = settings.read().providers.find((p) => p.id === providerId)!.keys;
      return vault.describe(providerId, keys).find((k) => k.label === name)!;
    },
    async remove(providerId, label) {
      const provider = settings.read().providers.find((p) => p.id === providerId);
      if (!provider) throw new Error(`no provider "${providerId}"`);
      const name = label || DEFAULT_LABEL;
      const deleted = vault.deleteKeychainKey(providerId, name);
      const listed = provider.keys.some((k) => (k.label ?? DEFAULT_LABEL) === name && 'keychain' in k);
      if (listed)
        edit(settings, (c) => ({
          ...c,
          providers: c.providers.map((p) =>
            p.id === providerId ? { ...p, keys: p.keys.filter((k) => !((k.label ?? DEFAULT_LABEL) === name && 'keychain' in k)) } : p,
          ),
        }));
      return deleted || listed;
    },
  };
}

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

export function createRouteEdits(settings: SettingsStore): Pick<RoutesService, 'save' | 'remove'> {
  return {
    async save(input, previousNameParam) {
      // Over JSON transports an absent argument arrives as null.
      const previousName = previousNameParam ?? undefined;
      edit(settings, (c) => {
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
      edit(settings, (c) => {
        found = c.routes.some((r) => r.name === name);
        return { ...c, routes: c.routes.filter((r) => r.name !== name) };
      });
      return found;
    },
  };
}

export function createPreferences(
  settings: SettingsStore,
  dataDir: string,
): Pick<SettingsService, 'preferences' | 'setPreferences' | 'dataLocation'> {
  return {
    preferences: async () => settings.read().app ?? { ...APP_DEFAULTS },
    async setPreferences(patch) {
      if (!patch || typeof patch !== 'object') throw new Error('expected { proxy?, providerProxies?, startOnLogin?, closeToTray? }');
      const { proxy, providerProxies, startOnLogin, closeToTray } = patch;
      const clean = Object.fromEntries(
        Object.entries({ proxy, providerProxies, startOnLogin, closeToTray }).filter(([, v]) => v !== undefined),
      );
      return settings.setApp(clean);
    },
    dataLocation: async () => ({ dataDir, settingsFile: settings.path, ledgerFile: path.join(dataDir, 'ledger.db') }),
  };
}
