// Data types of the first-run path: adding a provider in one all-or-nothing step (its key, its models
// and their prices), where keys can be kept on this machine, and the engine's live change events.
import type { Price, ProviderInfo, ProviderKind } from './types';

/** Where the new provider's key comes from: pasted (kept in the OS keychain, or for this session only), an env var, or none. */
export type ProviderSetupKey = { secret: string } | { env: string } | null;

/** A model as the add-provider flow offers it, with the price and context window the user confirmed. */
export interface ProviderSetupModel {
  id: string;
  contextWindow?: number;
  price?: Price;
}

/** Everything the add-provider flow collected; `providers.create` writes it whole or not at all. */
export interface ProviderSetup {
  id: string;
  kind: ProviderKind;
  baseUrl?: string;
  key: ProviderSetupKey;
  /** Ignored by `providers.discover`; `providers.create` needs at least one. */
  models?: ProviderSetupModel[];
}

/** Where a suggested price and context window came from. */
export type ModelMatchSource =
  /** The catalog's entry for this very provider (its vendor's price list, bundled or refreshed). */
  | 'catalog'
  /** The same model id at the vendor that makes it (e.g. `gpt-4o-mini` at OpenAI), for a server that resells it. */
  | 'matched'
  /** A keyless server on this machine: free. */
  | 'local'
  /** Nothing known: the user enters the price, or costs stay unknown. */
  | 'unknown';

/** One model the provider's API lists, with what the catalog suggests for it. */
export interface DiscoveredModel {
  id: string;
  contextWindow?: number;
  price?: Price;
  source: ModelMatchSource;
  /** For 'matched': the catalog entry the suggestion comes from (`openai/gpt-4o-mini`). */
  matchedFrom?: string;
  /** The provider already offers this model (listing an existing provider's models). */
  configured?: boolean;
}

/** The test step: did the key (or the keyless server) answer, and which models does it list. */
export interface ProviderDiscovery {
  ok: boolean;
  /** A sentence for the user: who accepted the key, or what went wrong (never the key itself). */
  message: string;
  status?: number;
  /** The key as the UI may show it (`sk-…abcd`). */
  masked?: string;
  models: DiscoveredModel[];
}

/** Where a key was put. */
export type KeyPlacement = 'keychain' | 'session' | 'env' | 'none';

export interface ProviderCreated {
  provider: ProviderInfo;
  /** 'session' means the key is held in memory only and is gone when Switchboard stops. */
  keyPlacement: KeyPlacement;
}

/** Where a pasted key would be kept right now, and what to do when that is not the OS keychain. */
export interface KeyStorageInfo {
  mode: 'keychain' | 'session';
  /** Keys held for this session only. */
  sessionKeys: number;
  /** When mode is 'session': plain words on why, and how to get a keychain (never a raw system error). */
  help?: { summary: string; steps: string[] };
}

/** Parts of the engine's state a screen may show; a change event names the ones that changed. */
export type ChangeTopic = 'providers' | 'routes' | 'keys' | 'prices' | 'tokens' | 'budgets' | 'port' | 'preferences';

export const CHANGE_TOPICS: readonly ChangeTopic[] = ['providers', 'routes', 'keys', 'prices', 'tokens', 'budgets', 'port', 'preferences'];

/** `ready` opens every subscription (anything before it may have been missed); `changed` follows each write. */
export type ChangeEvent = { type: 'ready' } | { type: 'changed'; topics: ChangeTopic[] };

/** Reserved for filters; an empty object asks for every topic. */
export interface ChangesRequest {
  topics?: ChangeTopic[];
}

/** `ACME_API_KEY` for `acme`: the environment variable name suggested for a provider's key. */
export function envNameFor(providerId: string): string {
  const stem = providerId
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const name = `${stem || 'PROVIDER'}_API_KEY`;
  return /^[0-9]/.test(name) ? `P_${name}` : name;
}
