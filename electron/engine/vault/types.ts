// The vault hands keys to the engine at request time and describes them (masked) to everyone else.
import type { KeyStorageInfo } from '../../../shared/setup-types';
import type { KeyInfo } from '../../../shared/types';
import type { KeyConfig } from '../settings/config-schema';

export interface ResolvedKey {
  label: string;
  secret: string;
}

export interface Vault {
  /**
   * Usable keys for a provider, in order. Env keys are read at call time, key files re-checked every few
   * seconds, keychain keys cached. With none usable it throws why, when it knows (a refused key file, no keychain).
   */
  keysFor(providerId: string, keys: KeyConfig[]): ResolvedKey[];
  /** Stores a key in the OS keychain (service `switchboard`, account `<providerId>/<label>`). */
  setKeychainKey(providerId: string, label: string, secret: string): void;
  deleteKeychainKey(providerId: string, label: string): boolean;
  describe(providerId: string, keys: KeyConfig[]): KeyInfo[];
}

/** The app's vault: it can also keep a key for this session only when no OS keychain is reachable. */
export interface AppVault extends Vault {
  /** Stores a key: in the OS keychain, or (with `sessionFallback`, when it is unavailable) in this process's memory only. */
  storeKey(providerId: string, label: string, secret: string): 'keychain' | 'session';
  /** The secret stored under a label now (session first, then the keychain), or null; for rolling a failed step back. */
  storedKey(providerId: string, label: string): string | null;
  /** Where a pasted key would be kept now, and what to do about it when that is not the keychain. */
  storage(): KeyStorageInfo;
  /** Called after every key written or deleted through this vault. */
  onChange(listener: () => void): () => void;
}
