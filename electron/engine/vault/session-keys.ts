// Keys held for this session only, when no OS keychain is reachable: a Map in the engine's process,
// never written anywhere, gone when the process stops. Also answers where a key would go right now.
import type { KeyStorageInfo } from '../../../shared/setup-types';
import { KeychainUnavailableError, type Keychain } from './keychain';
import { keychainHelp } from './keychain-help';

/** How long a keychain probe answer is reused: the UI asks each time the add-provider form opens. */
const PROBE_TTL_MS = 10_000;
// Provider ids cannot start with '.', so this account never collides with a real key.
const PROBE_ACCOUNT = '.storage-probe';

export interface SessionKeys {
  get(account: string): string | null;
  /** Keeps a key in memory (the keychain just refused it as unavailable). */
  hold(account: string, secret: string): void;
  delete(account: string): boolean;
  /** A keychain write failed as unavailable: report 'session' until one succeeds. */
  markUnavailable(): void;
  markAvailable(): void;
  changed(): void;
  onChange(listener: () => void): () => void;
  storage(): KeyStorageInfo;
}

export function createSessionKeys(keychain: Keychain, options: { now: () => number; platform?: NodeJS.Platform }): SessionKeys {
  const held = new Map<string, string>();
  const listeners = new Set<() => void>();
  let probed: { at: number; ok: boolean } | undefined;
  // Reads can work while writes fail (a locked keyring whose unlock prompt was dismissed): a failed
  // write is believed over a good read until a write succeeds.
  let writeFailed = false;

  const changed = () => {
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        console.error(`switchboard vault: a change listener failed: ${(error as Error).message}`);
      }
    }
  };

  /** A read of an account that never exists: cheap, and it fails the same way a write would when there is no keychain at all. */
  const keychainReachable = (): boolean => {
    if (probed && options.now() - probed.at < PROBE_TTL_MS) return probed.ok;
    let ok = true;
    try {
      keychain.get(PROBE_ACCOUNT);
    } catch (error) {
      if (!(error instanceof KeychainUnavailableError)) throw error;
      ok = false;
    }
    probed = { at: options.now(), ok };
    return ok;
  };

  return {
    get: (account) => held.get(account) ?? null,
    hold(account, secret) {
      held.set(account, secret);
      writeFailed = true;
      changed();
    },
    delete: (account) => held.delete(account),
    markUnavailable() {
      writeFailed = true;
    },
    markAvailable() {
      writeFailed = false;
      probed = { at: options.now(), ok: true };
    },
    changed,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    storage(): KeyStorageInfo {
      const ok = !writeFailed && keychainReachable();
      return ok
        ? { mode: 'keychain', sessionKeys: held.size }
        : { mode: 'session', sessionKeys: held.size, help: keychainHelp(options.platform) };
    },
  };
}
