// The vault hands keys to the engine at request time and describes them (masked) to everyone else.
import type { KeyInfo } from '../../../shared/types';
import type { KeyConfig } from '../settings/config-schema';

export interface ResolvedKey {
  label: string;
  secret: string;
}

export interface Vault {
  /** Usable keys for a provider, in order. Env keys are read at call time; keychain keys are cached. */
  keysFor(providerId: string, keys: KeyConfig[]): ResolvedKey[];
  /** Stores a key in the OS keychain (service `switchboard`, account `<providerId>/<label>`). */
  setKeychainKey(providerId: string, label: string, secret: string): void;
  deleteKeychainKey(providerId: string, label: string): boolean;
  describe(providerId: string, keys: KeyConfig[]): KeyInfo[];
}
