// Vault against the real OS keychain (a private gnome-keyring in CI) and real environment variables.
// Run inside a D-Bus session with an unlocked Secret Service; see the note at the bottom of this file.
import { afterAll, describe, expect, it } from 'vitest';
import { openKeychain, probeKeychain } from './keychain';
import { mask } from './mask';
import { createVault, keychainAccount } from './vault';
import { runWithoutKeychain } from './without-keychain.test-util';

// A provider id no real configuration uses, unique per run, so parallel runs and leftovers cannot collide.
const provider = `sbtest-${process.pid}-${Date.now().toString(36)}`;
const keychain = openKeychain();
const secret = 'sk-test-0123456789abcdef';

afterAll(() => {
  try {
    for (const label of ['default', 'work', 'cached']) keychain.delete(keychainAccount(provider, label));
  } catch {
    // No keychain: the tests above already failed and said why.
  }
});

describe('mask', () => {
  it('keeps the first three and last four characters of a long key', () => {
    expect(mask('sk-proj-abcdefghijklmnopqrstuvwxyz')).toBe('sk-…wxyz');
  });
  it('shows nothing of a short key', () => {
    expect(mask('sk-short-1234')).toBe('****');
    expect(mask('')).toBe('****');
  });
});

describe('vault with environment-variable keys', () => {
  it('reads env keys at call time, skips missing or empty ones, and labels them by variable', () => {
    const env: NodeJS.ProcessEnv = { SB_A: 'sk-env-a-0123456789xyz\n', SB_EMPTY: '  ' };
    const vault = createVault({ env });
    const keys = [{ env: 'SB_A' }, { env: 'SB_EMPTY' }, { env: 'SB_MISSING' }, { env: 'SB_B', label: 'backup' }];
    expect(vault.keysFor(provider, keys)).toEqual([{ label: 'SB_A', secret: 'sk-env-a-0123456789xyz' }]);
    env.SB_B = 'sk-env-b-0123456789xyz';
    expect(vault.keysFor(provider, keys).map((k) => k.label)).toEqual(['SB_A', 'backup']);
    expect(vault.describe(provider, keys)).toEqual([
      { label: 'SB_A', source: 'env', envName: 'SB_A', present: true, masked: 'sk-…9xyz' },
      { label: 'SB_EMPTY', source: 'env', envName: 'SB_EMPTY', present: false },
      { label: 'SB_MISSING', source: 'env', envName: 'SB_MISSING', present: false },
      { label: 'backup', source: 'env', envName: 'SB_B', present: true, masked: 'sk-…9xyz' },
    ]);
  });
});

describe('vault with the OS keychain', () => {
  it('stores, resolves, describes (masked) and deletes a key', () => {
    const vault = createVault({ env: {} });
    const keys = [{ keychain: true as const }];
    expect(vault.keysFor(provider, keys)).toEqual([]);

    vault.setKeychainKey(provider, 'default', secret);
    expect(vault.keysFor(provider, keys)).toEqual([{ label: 'default', secret }]);
    // A provider with no key entries falls back to its default keychain key.
    expect(vault.keysFor(provider, [])).toEqual([{ label: 'default', secret }]);
    const described = vault.describe(provider, keys);
    expect(described).toEqual([{ label: 'default', source: 'keychain', present: true, masked: 'sk-…cdef' }]);
    expect(JSON.stringify(described)).not.toContain(secret);

    // Really in the keychain, not only in this vault's cache.
    expect(keychain.get(keychainAccount(provider))).toBe(secret);
    expect(createVault({ env: {} }).keysFor(provider, keys)).toEqual([{ label: 'default', secret }]);

    expect(vault.deleteKeychainKey(provider, 'default')).toBe(true);
    expect(vault.deleteKeychainKey(provider, 'default')).toBe(false);
    expect(vault.keysFor(provider, keys)).toEqual([]);
    expect(vault.keysFor(provider, [])).toEqual([]);
    expect(keychain.get(keychainAccount(provider))).toBeNull();
  });

  it('keeps keys of one provider apart by label, in config order, mixed with env keys', () => {
    const vault = createVault({ env: { SB_ENV: 'sk-env-0123456789abcd' } });
    vault.setKeychainKey(provider, 'work', 'sk-work-0123456789abcd');
    const keys = [{ keychain: true as const, label: 'work' }, { env: 'SB_ENV' }, { keychain: true as const }];
    expect(vault.keysFor(provider, keys).map((k) => k.label)).toEqual(['work', 'SB_ENV']);
    expect(vault.describe(provider, keys).map((k) => [k.label, k.present])).toEqual([
      ['work', true],
      ['SB_ENV', true],
      ['default', false],
    ]);
    vault.deleteKeychainKey(provider, 'work');
  });

  it('serves keychain reads from its cache and notices changes by other processes after a while', () => {
    let clock = 1_000_000;
    const vault = createVault({ env: {}, now: () => clock });
    const keys = [{ keychain: true as const, label: 'cached' }];
    const account = keychainAccount(provider, 'cached');
    keychain.set(account, 'sk-first-0123456789abcd');
    expect(vault.keysFor(provider, keys)[0]?.secret).toBe('sk-first-0123456789abcd');

    keychain.set(account, 'sk-second-0123456789abcd'); // as `switchboard key set` from another process would
    clock += 1_000;
    expect(vault.keysFor(provider, keys)[0]?.secret).toBe('sk-first-0123456789abcd');
    clock += 120_000;
    expect(vault.keysFor(provider, keys)[0]?.secret).toBe('sk-second-0123456789abcd');
    keychain.delete(account);
  });

  it('refuses empty keys and bad provider ids', () => {
    const vault = createVault({ env: {} });
    expect(() => vault.setKeychainKey(provider, 'default', ' \n')).toThrow(/empty key/);
    expect(() => vault.setKeychainKey('a/b', 'default', secret)).toThrow(/invalid provider id "a\/b"/);
  });

  it('finds a working keychain with the doctor probe', () => {
    expect(probeKeychain(keychain)).toEqual({ ok: true });
  });
});

describe('vault without a keychain', () => {
  it('explains how to fix it, keeps env keys and keyless providers working', () => {
    const result = runWithoutKeychain(`
      import { createVault } from './vault';
      import { KeychainUnavailableError, openKeychain, probeKeychain } from './keychain';
      const vault = createVault({ env: { SB_ENV: 'sk-env-0123456789abcd' } });
      const report = (fn: () => unknown) => {
        try { return { value: fn() }; } catch (e) { return { error: (e as Error).message, unavailable: e instanceof KeychainUnavailableError }; }
      };
      console.log(JSON.stringify({
        onlyKeychain: report(() => vault.keysFor('openai', [{ keychain: true }])),
        mixed: report(() => vault.keysFor('openai', [{ keychain: true }, { env: 'SB_ENV' }])),
        keyless: report(() => vault.keysFor('ollama', [])),
        describe: report(() => vault.describe('openai', [{ keychain: true }])),
        set: report(() => vault.setKeychainKey('openai', 'default', 'sk-never-stored-0123456789')),
        probe: probeKeychain(openKeychain()),
      }));
    `);
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout);
    expect(out.onlyKeychain).toEqual({ error: expect.stringContaining('The OS keychain is not available'), unavailable: true });
    expect(out.onlyKeychain.error).toMatch(/gnome-keyring or KWallet/);
    expect(out.onlyKeychain.error).toMatch(/\{ "env": "OPENAI_API_KEY" \}/);
    expect(out.mixed).toEqual({ value: [{ label: 'SB_ENV', secret: 'sk-env-0123456789abcd' }] });
    expect(out.keyless).toEqual({ value: [] });
    expect(out.describe).toEqual({ value: [{ label: 'default', source: 'keychain', present: false }] });
    expect(out.set).toEqual({ error: expect.stringContaining('The OS keychain is not available'), unavailable: true });
    expect(out.set.error).not.toContain('sk-never-stored');
    expect(out.probe).toEqual({ ok: false, message: expect.stringContaining('not available') });
  });
});

describe('vault without a keychain, in the app (session-only keys)', () => {
  it('keeps a stored key in memory for this session, says so in plain words, and never shows the system error', () => {
    const result = runWithoutKeychain(`
      import { createVault } from './vault';
      const vault = createVault({ env: {}, sessionFallback: true, platform: 'linux' });
      const before = vault.storage();
      const placed = vault.storeKey('acme', 'default', 'sk-session-0123456789abcd');
      console.log(JSON.stringify({
        before, placed,
        keys: vault.keysFor('acme', [{ keychain: true }]),
        describe: vault.describe('acme', [{ keychain: true }]),
        after: vault.storage(),
        deleted: vault.deleteKeychainKey('acme', 'default'),
        gone: vault.keysFor('acme', []),
      }));
    `);
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout);
    expect(out.before.mode).toBe('session');
    expect(out.before.help.summary).toMatch(/session only/);
    expect(JSON.stringify(out.before)).not.toMatch(/DBus error|Failed to connect|No such file|secure storage/i);
    expect(out.placed).toBe('session');
    expect(out.keys).toEqual([{ label: 'default', secret: 'sk-session-0123456789abcd' }]);
    expect(out.describe).toEqual([{ label: 'default', source: 'session', present: true, masked: 'sk-…abcd' }]);
    expect(out.after).toMatchObject({ mode: 'session', sessionKeys: 1 });
    expect(out.deleted).toBe(true);
    expect(out.gone).toEqual([]);
  });
});

// To run these locally with a throwaway keyring:
//   export HOME=$(mktemp -d) XDG_RUNTIME_DIR=$(mktemp -d)
//   dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run electron/engine/vault'
