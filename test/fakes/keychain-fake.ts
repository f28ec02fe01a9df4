// A fake OS keychain for engine tests: an in-memory store that behaves like the Secret Service as the
// vault sees it, or one that is unreachable (no D-Bus session) the way @napi-rs/keyring fails then.
import type { Keychain } from '../../electron/engine/vault/keychain';
import { KeychainUnavailableError } from '../../electron/engine/vault/keychain';

export interface FakeKeychain extends Keychain {
  readonly entries: Map<string, string>;
  /** Every later call fails as if the keychain were gone (true) or works again (false). */
  setUnavailable(on: boolean): void;
}

/** The text the real library gives when there is no session bus: it must never reach the user. */
export const RAW_DBUS_ERROR =
  'Platform secure storage failure: DBus error: Failed to connect to socket /run/user/0/bus: No such file or directory';

export function fakeKeychain(options: { unavailable?: boolean } = {}): FakeKeychain {
  const entries = new Map<string, string>();
  let unavailable = options.unavailable ?? false;
  const guard = () => {
    if (unavailable) throw new KeychainUnavailableError(new Error(RAW_DBUS_ERROR));
  };
  return {
    entries,
    setUnavailable(on) {
      unavailable = on;
    },
    get(account) {
      guard();
      return entries.get(account) ?? null;
    },
    set(account, secret) {
      guard();
      entries.set(account, secret);
    },
    delete(account) {
      guard();
      return entries.delete(account);
    },
  };
}
