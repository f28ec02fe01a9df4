// What to tell a person whose machine has no usable OS keychain: plain words per platform on why keys
// are kept for this session only and how to get a keychain. The system's own error never reaches them.
import type { KeyStorageInfo } from '../../../shared/setup-types';

type Help = NonNullable<KeyStorageInfo['help']>;

const SUMMARY =
  "Switchboard could not reach your operating system's keychain, so a key you add now is kept in memory for this session only: " +
  'it works until Switchboard stops, and is never written to disk. After a restart you would paste it again.';

const ENV_STEP =
  'On a headless server, give the key in an environment variable instead: choose "Environment variable" as the key source ' +
  '(or `{ "env": "NAME" }` in a config file). Switchboard reads it at request time and never stores it.';

export function keychainHelp(platform: NodeJS.Platform = process.platform): Help {
  if (platform === 'darwin') {
    return {
      summary: SUMMARY,
      steps: ['Open Keychain Access and unlock the "login" keychain (it unlocks when you log in), then restart Switchboard.', ENV_STEP],
    };
  }
  if (platform === 'win32') {
    return {
      summary: SUMMARY,
      steps: [
        'Windows keeps keys in Credential Manager for your user: sign in to Windows normally (not as a service account), then restart Switchboard.',
        ENV_STEP,
      ],
    };
  }
  return {
    summary: SUMMARY,
    steps: [
      "On a Linux desktop, install a keyring and unlock it at login: GNOME Keyring (`sudo apt install gnome-keyring`) or KDE's KWallet. Log out and in again, then restart Switchboard.",
      "Over SSH or in a container there is no desktop session: start Switchboard inside one with an unlocked keyring, e.g. `dbus-run-session -- sh -c 'gnome-keyring-daemon --unlock --components=secrets; switchboard serve'`.",
      ENV_STEP,
    ],
  };
}
