// The providers service: the configured providers (keys masked, prices from the catalog), the kinds
// and vendors one can add, edits of a provider, and the add-provider flow (provider-setup.ts).
import type { ProvidersService } from '../../../shared/contract';
import type { ProviderInfo, ProviderInput, ProviderPreset } from '../../../shared/types';
import { listUpstreamModels } from '../providers/models';
import { PRESETS } from '../providers/presets';
import type { KeyConfig, ProviderConfig, RouteConfig } from '../settings/config-schema';
import { DEFAULT_LABEL } from '../vault/vault';
import { editConfig } from './config-edit';
import { createProviderSetup } from './provider-setup';
import type { ServiceParts } from './service-parts';

const KINDS: ProviderPreset[] = [
  { id: 'openai', kind: 'openai', label: 'OpenAI', needsBaseUrl: false, keyless: false },
  { id: 'anthropic', kind: 'anthropic', label: 'Anthropic', needsBaseUrl: false, keyless: false },
  { id: 'gemini', kind: 'gemini', label: 'Google Gemini', needsBaseUrl: false, keyless: false },
  { id: 'azure', kind: 'azure-openai', label: 'Azure OpenAI', needsBaseUrl: true, keyless: false },
  { id: 'ollama', kind: 'ollama', label: 'Ollama (local)', needsBaseUrl: false, keyless: true },
  { id: 'custom', kind: 'openai-compatible', label: 'Other OpenAI-compatible server', needsBaseUrl: true, keyless: false },
];

function providerPresets(): ProviderPreset[] {
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

export function createProvidersService(
  parts: Pick<ServiceParts, 'table' | 'settings' | 'vault' | 'catalog' | 'transport' | 'env'>,
): ProvidersService {
  const { table, settings, vault, catalog, transport } = parts;
  const find = (id: string) => {
    const p = settings.read().providers.find((x) => x.id === id);
    if (!p) throw new Error(`no provider "${id}"`);
    return p;
  };
  const list = async (): Promise<ProviderInfo[]> =>
    table()
      .providerList()
      .map((p) => ({
        id: p.id,
        kind: p.kind,
        baseUrl: p.baseUrl,
        // Validation refuses a kind without an adapter, so every provider that reaches the table has one.
        supported: true,
        models: p.models.map((m) => {
          // The catalog knows prices the config does not list (bundled snapshot, overrides, refresh).
          const entry = catalog.lookup(p, m.id);
          return { id: m.id, contextWindow: entry.contextWindow, price: entry.price, priceSource: entry.source };
        }),
        keys: vault.describe(p.id, p.keys),
      }));

  return {
    list,
    presets: async () => providerPresets(),
    async add(input) {
      editConfig(settings, (c) => {
        if (c.providers.some((p) => p.id === input?.id)) throw new Error(`a provider named "${input.id}" exists already`);
        return { ...c, providers: [...c.providers, providerConfig(input, [])] };
      });
    },
    async update(id, input) {
      const old = find(id);
      if (input.id !== id) throw new Error('a provider cannot be renamed; add a new one and remove this one');
      editConfig(settings, (c) => ({ ...c, providers: c.providers.map((p) => (p.id === id ? providerConfig(input, old.keys) : p)) }));
    },
    async remove(id) {
      const old = find(id);
      const using = routesUsing(settings.read().routes, id);
      if (using.length)
        throw new Error(
          `"${id}" is used by route${using.length > 1 ? 's' : ''} ${using.join(', ')}: change ${using.length > 1 ? 'them' : 'it'} first`,
        );
      editConfig(settings, (c) => ({ ...c, providers: c.providers.filter((p) => p.id !== id) }));
      for (const k of old.keys) if ('keychain' in k) vault.deleteKeychainKey(id, k.label ?? DEFAULT_LABEL);
    },
    async models(id) {
      const p = find(id);
      const key = vault.keysFor(p.id, p.keys)[0];
      return listUpstreamModels(transport, p, key?.secret ?? '');
    },
    ...createProviderSetup({ ...parts, describe: async (id) => (await list()).find((p) => p.id === id) }),
  };
}
