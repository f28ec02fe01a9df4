// Checks what the add-provider flow sends before anything is tried or stored, with errors that name
// the form's field in its own words ("Base URL: …"), not a config path.
import type { ProviderSetup, ProviderSetupKey, ProviderSetupModel } from '../../../shared/setup-types';
import type { Price } from '../../../shared/types';
import { PROVIDER_KINDS, type KeyConfig, type ProviderConfig } from '../settings/config-schema';
import { PRESETS } from '../providers/presets';
import { DEFAULT_LABEL } from '../vault/vault';

export type SetupField = 'id' | 'kind' | 'baseUrl' | 'key' | 'models';

/** A step of adding a provider failed; nothing was stored. `field` names the form field to fix, when one is at fault. */
export class ProviderSetupError extends Error {
  constructor(
    message: string,
    readonly field?: SetupField,
  ) {
    super(message);
    this.name = 'ProviderSetupError';
  }
}

export interface CheckedSetup {
  /** The provider without keys or models (the caller adds those). */
  provider: ProviderConfig;
  key: ProviderSetupKey;
  models: ProviderSetupModel[];
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const ENV_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PRESET_IDS = new Set(PRESETS.map((p) => p.id));
const PRICE_PARTS: Array<keyof Price> = ['input', 'output', 'cacheRead', 'cacheWrite', 'cacheWrite1h', 'reasoning'];

export function checkSetup(raw: unknown, existing: readonly ProviderConfig[], options: { needModels: boolean }): CheckedSetup {
  if (!raw || typeof raw !== 'object') throw new ProviderSetupError('expected a provider setup: { id, kind, baseUrl?, key, models }');
  const setup = raw as Partial<ProviderSetup>;
  const id = typeof setup.id === 'string' ? setup.id.trim() : '';
  if (!ID_PATTERN.test(id))
    throw new ProviderSetupError('Provider id: use letters, digits, ".", "_" or "-", starting with a letter or digit (no spaces).', 'id');
  if (existing.some((p) => p.id === id))
    throw new ProviderSetupError(
      `Provider id: a provider named "${id}" exists already. Choose another id, or remove that one first.`,
      'id',
    );
  if (!PROVIDER_KINDS.includes(setup.kind as (typeof PROVIDER_KINDS)[number]))
    throw new ProviderSetupError(`Kind: one of ${PROVIDER_KINDS.join(', ')}.`, 'kind');
  const kind = setup.kind as ProviderConfig['kind'];
  const baseUrl = typeof setup.baseUrl === 'string' ? setup.baseUrl.trim() : '';
  if (baseUrl && !/^https?:\/\/[^\s/]+/.test(baseUrl))
    throw new ProviderSetupError('Base URL: an http:// or https:// address, like https://api.example.com/v1.', 'baseUrl');
  if (!baseUrl && (kind === 'azure-openai' || (kind === 'openai-compatible' && !PRESET_IDS.has(id)))) {
    throw new ProviderSetupError(
      'Base URL: this kind of provider needs one (the address its API documents, like https://api.example.com/v1).',
      'baseUrl',
    );
  }
  const provider: ProviderConfig = { id, kind, keys: [], models: [], ...(baseUrl ? { baseUrl } : {}) };
  return { provider, key: checkKey(setup.key), models: options.needModels ? checkModels(setup.models) : [] };
}

function checkKey(key: unknown): ProviderSetupKey {
  if (key === null || key === undefined) return null;
  if (typeof key !== 'object')
    throw new ProviderSetupError('API key: expected a pasted key, an environment variable name, or none.', 'key');
  if ('secret' in key) {
    const secret = typeof key.secret === 'string' ? key.secret.trim() : '';
    if (secret.length < 8 || secret.length > 4096 || /\s/.test(secret))
      throw new ProviderSetupError('API key: that does not look like an API key (8 to 4096 characters, no spaces).', 'key');
    return { secret };
  }
  if ('env' in key) {
    const env = typeof key.env === 'string' ? key.env.trim() : '';
    if (!ENV_PATTERN.test(env))
      throw new ProviderSetupError('Environment variable: a name like ACME_API_KEY (letters, digits and "_").', 'key');
    return { env };
  }
  throw new ProviderSetupError('API key: expected a pasted key, an environment variable name, or none.', 'key');
}

export function checkModels(models: unknown): ProviderSetupModel[] {
  if (!Array.isArray(models) || models.length === 0) throw new ProviderSetupError('Models: choose at least one model to offer.', 'models');
  const seen = new Set<string>();
  return models.map((m, i): ProviderSetupModel => {
    const id = typeof m?.id === 'string' ? m.id.trim() : '';
    if (!id) throw new ProviderSetupError(`Models: model ${i + 1} has no id.`, 'models');
    if (seen.has(id)) throw new ProviderSetupError(`Models: "${id}" is listed twice.`, 'models');
    seen.add(id);
    const out: ProviderSetupModel = { id };
    if (m.contextWindow !== undefined && m.contextWindow !== null) {
      if (!Number.isInteger(m.contextWindow) || m.contextWindow <= 0)
        throw new ProviderSetupError(`Models: the context window of "${id}" must be a whole number of tokens above 0.`, 'models');
      out.contextWindow = m.contextWindow;
    }
    if (m.price !== undefined && m.price !== null) {
      if (typeof m.price !== 'object') throw new ProviderSetupError(`Models: the price of "${id}" is not valid.`, 'models');
      const price: Price = {};
      for (const part of PRICE_PARTS) {
        const v = (m.price as Record<string, unknown>)[part];
        if (v === undefined || v === null) continue;
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
          throw new ProviderSetupError(
            `Models: the ${part} price of "${id}" must be a number of dollars per million tokens, 0 or more.`,
            'models',
          );
        price[part] = v;
      }
      if (Object.keys(price).length > 0) out.price = price;
    }
    return out;
  });
}

/** The key entry the provider's config gets for a setup key (the secret itself is never in the config). */
export function keyConfigFor(key: ProviderSetupKey): KeyConfig[] {
  if (key === null) return [];
  if ('env' in key) return [{ env: key.env }];
  return [{ keychain: true, label: DEFAULT_LABEL }];
}
