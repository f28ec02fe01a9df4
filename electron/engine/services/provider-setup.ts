// The add-provider flow behind providers.discover/create/available/addModels (providers-service.ts):
// test a provider that does not exist yet and list its models with catalog prices (discover), then
// write its key, the provider and its models all at once or not at all (create: a failed step leaves
// nothing behind, a key already written is rolled back).
import type { ProvidersService } from '../../../shared/contract';
import type { DiscoveredModel, KeyPlacement, ProviderDiscovery, ProviderSetupKey, ProviderSetupModel } from '../../../shared/setup-types';
import type { ProviderInfo } from '../../../shared/types';
import { configModel, suggestModel } from '../catalog/match';
import { listUpstreamModels } from '../providers/models';
import { redactKeys } from '../providers/redact';
import type { ProviderConfig } from '../settings/config-schema';
import { mask } from '../vault/mask';
import { DEFAULT_LABEL } from '../vault/vault';
import { editConfig } from './config-edit';
import { checkModels, checkSetup, keyConfigFor, ProviderSetupError } from './provider-setup-checks';
import type { ServiceParts } from './service-parts';

export { ProviderSetupError } from './provider-setup-checks';

export interface ProviderSetupDeps extends Pick<ServiceParts, 'settings' | 'vault' | 'catalog' | 'transport' | 'env'> {
  /** The provider as providers.list() shows it, once written. */
  describe(id: string): Promise<ProviderInfo | undefined>;
}

const LIST_TIMEOUT_MS = 15_000;

type Listing = { ok: true; ids: string[]; status: number } | { ok: false; message: string; status?: number };

export function createProviderSetup(deps: ProviderSetupDeps): Pick<ProvidersService, 'discover' | 'create' | 'available' | 'addModels'> {
  const { settings, vault, catalog } = deps;
  // One create (or model addition) at a time: a rollback must never undo another call's key.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };

  /** The secret a setup key stands for; an env key is read now, as requests will read it. */
  const secretOf = (key: ProviderSetupKey): string | undefined => {
    if (key === null) return undefined;
    if ('secret' in key) return key.secret;
    const value = deps.env[key.env]?.trim();
    if (!value)
      throw new ProviderSetupError(
        `Environment variable: ${key.env} is not set where Switchboard runs. Set it there and restart Switchboard, or paste the key instead.`,
        'key',
      );
    return value;
  };

  /** The model list with the key: the cheapest call that proves the key (or the keyless server) works. */
  const list = async (provider: ProviderConfig, secret: string | undefined): Promise<Listing> => {
    try {
      const ids = await listUpstreamModels(deps.transport, provider, secret ?? '', AbortSignal.timeout(LIST_TIMEOUT_MS));
      return { ok: true, ids, status: 200 };
    } catch (error) {
      return { ok: false, ...failureText(provider, error, secret) };
    }
  };

  return {
    async discover(setup) {
      const checked = checkSetup(setup, settings.read().providers, { needModels: false });
      const secret = secretOf(checked.key);
      const listing = await list(checked.provider, secret);
      const masked = secret ? { masked: mask(secret) } : {};
      if (!listing.ok)
        return {
          ok: false,
          message: listing.message,
          ...(listing.status ? { status: listing.status } : {}),
          ...masked,
          models: [],
        } satisfies ProviderDiscovery;
      const withKeys = { ...checked.provider, keys: keyConfigFor(checked.key) };
      return {
        ok: true,
        status: listing.status,
        message: `${checked.provider.id} answered: ${listing.ids.length} model${listing.ids.length === 1 ? '' : 's'} listed.`,
        ...masked,
        models: listing.ids.map((id) => suggestModel(catalog, withKeys, id)),
      };
    },

    create: (setup) =>
      serial(async () => {
        const checked = checkSetup(setup, settings.read().providers, { needModels: true });
        const secret = secretOf(checked.key);
        const listing = await list(checked.provider, secret);
        if (!listing.ok) throw new ProviderSetupError(`Nothing was added: ${listing.message}`, 'key');
        const provider: ProviderConfig = { ...checked.provider, keys: keyConfigFor(checked.key) };
        provider.models = checked.models.map((m) => configModel(catalog, provider, m));

        let placement: KeyPlacement = checked.key === null ? 'none' : 'env';
        let rollback = () => {};
        if (checked.key !== null && 'secret' in checked.key) {
          const previous = vault.storedKey(provider.id, DEFAULT_LABEL);
          placement = vault.storeKey(provider.id, DEFAULT_LABEL, checked.key.secret);
          // A key left by an earlier provider of this id comes back; otherwise ours goes.
          rollback = () =>
            previous ? vault.storeKey(provider.id, DEFAULT_LABEL, previous) : vault.deleteKeychainKey(provider.id, DEFAULT_LABEL);
        }
        try {
          editConfig(settings, (c) => {
            if (c.providers.some((p) => p.id === provider.id))
              throw new ProviderSetupError(`Provider id: a provider named "${provider.id}" was added meanwhile. Nothing was added.`, 'id');
            return { ...c, providers: [...c.providers, provider] };
          });
        } catch (error) {
          try {
            rollback();
          } catch (undo) {
            console.error(`switchboard: could not take back the key of "${provider.id}" after a failed add: ${(undo as Error).message}`);
          }
          throw error;
        }
        const info = await deps.describe(provider.id);
        if (!info) throw new ProviderSetupError(`"${provider.id}" was written but is not listed; reload the providers.`);
        return { provider: info, keyPlacement: placement };
      }),

    async available(id) {
      const provider = settings.read().providers.find((p) => p.id === id);
      if (!provider) throw new ProviderSetupError(`no provider "${id}"`);
      const secret = vault.keysFor(provider.id, provider.keys)[0]?.secret;
      const listing = await list(provider, secret);
      if (!listing.ok) throw new ProviderSetupError(listing.message);
      const configured = new Set(provider.models.map((m) => m.id));
      return listing.ids.map((m): DiscoveredModel => ({
        ...suggestModel(catalog, provider, m),
        ...(configured.has(m) ? { configured: true } : {}),
      }));
    },

    addModels: (id, models) =>
      serial(async () => {
        const wanted = checkModels(models);
        editConfig(settings, (c) => {
          const provider = c.providers.find((p) => p.id === id);
          if (!provider) throw new ProviderSetupError(`no provider "${id}"`);
          const have = new Set(provider.models.map((m) => m.id));
          const added = wanted.filter((m) => !have.has(m.id)).map((m): ProviderSetupModel => configModel(catalog, provider, m));
          return { ...c, providers: c.providers.map((p) => (p.id === id ? { ...p, models: [...p.models, ...added] } : p)) };
        });
        const info = await deps.describe(id);
        if (!info) throw new ProviderSetupError(`no provider "${id}"`);
        return info;
      }),
  };
}

/** What went wrong with the model-list call, for a person: refused key, unreachable server, or the provider's own error. */
function failureText(provider: ProviderConfig, error: unknown, secret: string | undefined): { message: string; status?: number } {
  const e = error as {
    failureClass?: string;
    status?: number | null;
    message?: string;
    code?: string;
    cause?: { code?: string; message?: string };
  };
  const detail = redactKeys(String(e.message ?? error), secret ? [secret] : []);
  const status = typeof e.status === 'number' ? e.status : undefined;
  if (e.failureClass === 'auth')
    return { message: `${provider.id} refused the key (${status ?? 'auth'}): ${detail}`, ...(status ? { status } : {}) };
  if (e.failureClass === undefined || status === undefined) {
    const code = e.code ?? e.cause?.code;
    const why = e.cause?.message ?? detail;
    return {
      message: `Cannot reach ${originOf(provider)}: ${redactKeys(why, secret ? [secret] : [])}${code && !why.includes(code) ? ` (${code})` : ''}. Check the base URL and that the server is running.`,
    };
  }
  return { message: `${provider.id} answered with an error (${status}): ${detail}`, status };
}

function originOf(provider: ProviderConfig): string {
  try {
    return provider.baseUrl ? new URL(provider.baseUrl).origin : `the ${provider.kind} API`;
  } catch {
    return provider.baseUrl ?? provider.kind;
  }
}
