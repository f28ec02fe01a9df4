// The OS keychain behind one small interface, via @napi-rs/keyring (service `switchboard`).
// Every failure to reach the keychain becomes a KeychainUnavailableError that says what to do about it.
import { Entry, type EntryOptions } from '@napi-rs/keyring';
import { envNameFor } from '../../../shared/setup-types';

export interface Keychain {
  /** The secret stored for this account, or null when there is none. */
  get(account: string): string | null;
  set(account: string, secret: string): void;
  /** True when a secret was deleted, false when there was none. */
  delete(account: string): boolean;
}

export class KeychainUnavailableError extends Error {
  /** `providerId` names the env variable suggested for that provider's key (ACME_API_KEY for acme). */
  constructor(cause: unknown, providerId?: string) {
    super(unavailableMessage(cause, providerId), { cause });
    this.name = 'KeychainUnavailableError';
  }
}

function unavailableMessage(cause: unknown, providerId = 'openai'): string {
  const detail = cause instanceof Error ? cause.message : String(cause);
  const fix =
    process.platform === 'linux'
      ? 'Install and unlock a Secret Service keyring (gnome-keyring or KWallet) in a D-Bus session'
      : 'Unlock the system keychain';
  return (
    `The OS keychain is not available (${detail}). ${fix}, ` +
    `or give the provider an environment-variable key in its config instead: { "env": "${envNameFor(providerId)}" } ` +
    `(or a key file only the service user can read: { "file": "/etc/switchboard/keys/${providerId}" }). ` +
    'Switchboard never writes keys to a file.'
  );
}

// On Linux, pin the Secret Service: the default silently falls back to the kernel keyring, which
// forgets every key at logout or reboot. Other platforms ignore the option.
const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };

export function openKeychain(service = 'switchboard'): Keychain {
  // The Entry constructor itself throws when there is no D-Bus session, so it sits inside the guard too.
  const withEntry = <T>(account: string, use: (entry: Entry) => T): T => {
    try {
      return use(new Entry(service, account, ENTRY_OPTIONS));
    } catch (error) {
      throw new KeychainUnavailableError(error);
    }
  };
  return {
    get: (account) => withEntry(account, (entry) => entry.getPassword() ?? null),
    set: (account, secret) => withEntry(account, (entry) => entry.setPassword(secret)),
    delete: (account) => withEntry(account, (entry) => entry.deleteCredential()),
  };
}

/**
 * For `doctor`: whether keys can be stored, and the message to show when not. It writes and deletes a
 * throwaway entry, because a locked or missing keyring can still answer reads (with nothing).
 */
export function probeKeychain(keychain: Keychain): { ok: true } | { ok: false; message: string } {
  // Provider ids cannot start with '.', so this account never collides with a real key.
  const account = '.doctor-probe';
  try {
    keychain.set(account, 'probe');
    keychain.delete(account);
    return { ok: true };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}
