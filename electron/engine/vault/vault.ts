// The vault: resolves a provider's keys at request time (env vars, key files, OS keychain, session-only
// keys) and describes them masked. Keychain reads are cached in memory because each one is a D-Bus round
// trip; env vars are read live; key files are re-checked every few seconds (file-keys.ts). Session-only
// keys (no keychain reachable) live in this process only.
import type { KeyInfo } from '../../../shared/types';
import type { KeyConfig } from '../settings/config-schema';
import { createFileKeys, FileKeyError } from './file-keys';
import { KeychainUnavailableError, openKeychain, type Keychain } from './keychain';
import { mask } from './mask';
import { createSessionKeys } from './session-keys';
import type { AppVault, ResolvedKey } from './types';

export interface VaultOptions {
  keychain?: Keychain;
  env?: NodeJS.ProcessEnv;
  /** Clock for cache expiry (tests). */
  now?: () => number;
  /**
   * The app's engine: when the keychain is unavailable, keep a stored key in memory for this session
   * instead of refusing it. The CLI leaves this off: a key kept by a process that exits at once is lost.
   */
  sessionFallback?: boolean;
  /** For the keychain help text and whether key files' POSIX modes are checked (tests). */
  platform?: NodeJS.Platform;
  /** The user key files must belong to (default: the one running this process; tests). */
  uid?: number;
}

export const DEFAULT_LABEL = 'default';

// A key set or deleted by another process (`switchboard key set` while the app runs) shows up
// within these times; our own writes update the cache at once.
const FOUND_TTL_MS = 60_000;
const MISSING_TTL_MS = 5_000;

const providerIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

type CacheEntry = { at: number; secret: string | null } | { at: number; error: KeychainUnavailableError };

/** The keychain account of a key: `<providerId>/<label>`. Provider ids cannot contain '/', so this is unambiguous. */
export function keychainAccount(providerId: string, label: string = DEFAULT_LABEL): string {
  return `${providerId}/${label}`;
}

export function createVault(options: VaultOptions = {}): AppVault {
  const keychain = options.keychain ?? openKeychain();
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const cache = new Map<string, CacheEntry>();
  const session = createSessionKeys(keychain, { now, platform: options.platform });
  const files = createFileKeys({ now, platform: options.platform, uid: options.uid });

  /** Cached keychain read; throws KeychainUnavailableError (also cached briefly, so a dead D-Bus is not retried per request). */
  function readKeychain(account: string): string | null {
    const hit = cache.get(account);
    if (hit) {
      const ttl = 'error' in hit || hit.secret === null ? MISSING_TTL_MS : FOUND_TTL_MS;
      if (now() - hit.at < ttl) {
        if ('error' in hit) throw hit.error;
        return hit.secret;
      }
    }
    try {
      const secret = keychain.get(account) || null;
      cache.set(account, { at: now(), secret });
      return secret;
    } catch (error) {
      if (error instanceof KeychainUnavailableError) cache.set(account, { at: now(), error });
      throw error;
    }
  }

  /** Like readKeychain, but an unreachable keychain reads as "no key" (for optional lookups and descriptions). */
  function tryReadKeychain(account: string): string | null {
    try {
      return readKeychain(account);
    } catch (error) {
      if (error instanceof KeychainUnavailableError) return null;
      throw error;
    }
  }

  function readEnv(name: string): string | null {
    // Trimmed: `export KEY=$(cat file)` and .env files easily leave a stray newline or space.
    return env[name]?.trim() || null;
  }

  function checkIds(providerId: string, label: string): void {
    if (!providerIdPattern.test(providerId)) throw new Error(`invalid provider id "${providerId}": use letters, digits, ".", "_" or "-"`);
    if (label.length === 0) throw new Error('a key label may not be empty');
  }

  function storeKey(providerId: string, label: string, secret: string): 'keychain' | 'session' {
    checkIds(providerId, label);
    if (secret.trim().length === 0) throw new Error('refusing to store an empty key');
    const account = keychainAccount(providerId, label);
    try {
      keychain.set(account, secret);
    } catch (error) {
      if (!(options.sessionFallback && error instanceof KeychainUnavailableError)) throw error;
      session.hold(account, secret);
      return 'session';
    }
    // The keychain works (again): the key lives there now, not in this process's memory.
    session.delete(account);
    session.markAvailable();
    cache.set(account, { at: now(), secret });
    session.changed();
    return 'keychain';
  }

  return {
    keysFor(providerId: string, keys: KeyConfig[]): ResolvedKey[] {
      // A provider that lists no keys may still have one stored by `switchboard key set`; keyless
      // providers (a local Ollama) must keep working without a keychain, hence the lenient read.
      if (keys.length === 0) {
        const account = keychainAccount(providerId);
        const secret = session.get(account) ?? tryReadKeychain(account);
        return secret ? [{ label: DEFAULT_LABEL, secret }] : [];
      }
      const resolved: ResolvedKey[] = [];
      let unavailable: KeychainUnavailableError | undefined;
      let refused: FileKeyError | undefined;
      for (const key of keys) {
        if ('env' in key) {
          const secret = readEnv(key.env);
          if (secret) resolved.push({ label: key.label ?? key.env, secret });
          continue;
        }
        if ('file' in key) {
          const read = files.read(key.file);
          if ('secret' in read) resolved.push({ label: key.label ?? key.file, secret: read.secret });
          else refused ??= read.error;
          continue;
        }
        const label = key.label ?? DEFAULT_LABEL;
        const held = session.get(keychainAccount(providerId, label));
        if (held) {
          resolved.push({ label, secret: held });
          continue;
        }
        try {
          const secret = readKeychain(keychainAccount(providerId, label));
          if (secret) resolved.push({ label, secret });
        } catch (error) {
          if (!(error instanceof KeychainUnavailableError)) throw error;
          unavailable = error;
        }
      }
      // With the keychain down or a key file refused, serve with whatever keys remain; only when none
      // are left does the caller need the explanation (a refused file first: it says exactly what to run).
      if (resolved.length === 0 && refused) throw refused;
      // Named for this provider, so the env variable it suggests is this provider's.
      if (resolved.length === 0 && unavailable) throw new KeychainUnavailableError(unavailable.cause, providerId);
      return resolved;
    },

    setKeychainKey(providerId: string, label: string, secret: string): void {
      storeKey(providerId, label, secret);
    },

    storeKey,

    storedKey(providerId: string, label: string): string | null {
      const account = keychainAccount(providerId, label);
      return session.get(account) ?? tryReadKeychain(account);
    },

    deleteKeychainKey(providerId: string, label: string): boolean {
      checkIds(providerId, label);
      const account = keychainAccount(providerId, label);
      const held = session.delete(account);
      let deleted: boolean;
      try {
        deleted = keychain.delete(account);
      } catch (error) {
        // Without a keychain there is nothing of ours in it: the session copy was all there was.
        if (!(options.sessionFallback && error instanceof KeychainUnavailableError)) throw error;
        session.markUnavailable();
        deleted = false;
      }
      cache.set(account, { at: now(), secret: null });
      session.changed();
      return deleted || held;
    },

    storage: () => session.storage(),
    onChange: (listener) => session.onChange(listener),

    describe(providerId: string, keys: KeyConfig[]): KeyInfo[] {
      if (keys.length === 0) {
        const held = session.get(keychainAccount(providerId));
        if (held) return [{ label: DEFAULT_LABEL, source: 'session', present: true, masked: mask(held) }];
        const secret = tryReadKeychain(keychainAccount(providerId));
        return secret ? [{ label: DEFAULT_LABEL, source: 'keychain', present: true, masked: mask(secret) }] : [];
      }
      return keys.map((key): KeyInfo => {
        if ('env' in key) {
          const secret = readEnv(key.env);
          const info: KeyInfo = { label: key.label ?? key.env, source: 'env', envName: key.env, present: secret !== null };
          if (secret) info.masked = mask(secret);
          return info;
        }
        if ('file' in key) {
          const read = files.read(key.file);
          const info: KeyInfo = { label: key.label ?? key.file, source: 'file', filePath: key.file, present: 'secret' in read };
          if ('secret' in read) info.masked = mask(read.secret);
          else info.problem = read.error.message;
          return info;
        }
        const label = key.label ?? DEFAULT_LABEL;
        const held = session.get(keychainAccount(providerId, label));
        if (held) return { label, source: 'session', present: true, masked: mask(held) };
        const secret = tryReadKeychain(keychainAccount(providerId, label));
        const info: KeyInfo = { label, source: 'keychain', present: secret !== null };
        if (secret) info.masked = mask(secret);
        return info;
      });
    },
  };
}
