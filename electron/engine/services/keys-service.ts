// The keys service: a provider's key tried against its model list, keys pasted into the OS keychain
// (or this session, without one) and removed, and where a pasted key would be kept. Only masked
// forms ever leave it.
import type { KeysService } from '../../../shared/contract';
import type { KeyInfo } from '../../../shared/types';
import { testKey } from '../vault/key-test';
import { DEFAULT_LABEL } from '../vault/vault';
import { editConfig } from './config-edit';
import type { ServiceParts } from './service-parts';

/** Refuses anything that cannot be an API key, without echoing it. */
function checkSecret(secret: unknown): string {
  if (typeof secret !== 'string') throw new Error('the key must be text');
  const s = secret.trim();
  if (s.length < 8 || s.length > 4096 || /\s/.test(s))
    throw new Error('that does not look like an API key (8 to 4096 characters, no spaces)');
  return s;
}

export function createKeysService({
  table,
  settings,
  vault,
  transport,
}: Pick<ServiceParts, 'table' | 'settings' | 'vault' | 'transport'>): KeysService {
  return {
    async test(providerId: string, label?: string) {
      const provider = table()
        .providerList()
        .find((p) => p.id === providerId);
      if (!provider) throw new Error(`no provider "${providerId}"`);
      const keys = vault.keysFor(provider.id, provider.keys);
      const wanted = label ?? keys[0]?.label ?? vault.describe(provider.id, provider.keys)[0]?.label ?? DEFAULT_LABEL;
      return testKey(
        transport,
        provider,
        keys.find((k) => k.label === wanted),
        wanted,
      );
    },
    async set(providerId, label, secret): Promise<KeyInfo> {
      const name = (label ?? '').trim() || DEFAULT_LABEL;
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error('a key label is letters, digits, ".", "_" or "-"');
      const value = checkSecret(secret);
      const provider = settings.read().providers.find((p) => p.id === providerId);
      if (!provider) throw new Error(`no provider "${providerId}"`);
      vault.setKeychainKey(providerId, name, value);
      const listed = provider.keys.some((k) => (k.label ?? DEFAULT_LABEL) === name && 'keychain' in k);
      if (!listed) {
        editConfig(settings, (c) => ({
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
        editConfig(settings, (c) => ({
          ...c,
          providers: c.providers.map((p) =>
            p.id === providerId ? { ...p, keys: p.keys.filter((k) => !((k.label ?? DEFAULT_LABEL) === name && 'keychain' in k)) } : p,
          ),
        }));
      return deleted || listed;
    },
    storage: async () => vault.storage(),
  };
}
