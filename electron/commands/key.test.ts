// `switchboard key` against the real OS keychain (a private gnome-keyring in CI) and temp data dirs.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openSettings } from '../engine/settings/settings-store';
import { openKeychain } from '../engine/vault/keychain';
import { keychainAccount } from '../engine/vault/vault';
import { runWithoutKeychain } from '../engine/vault/without-keychain.test-util';
import { run } from './key';
import { captureIO, type CapturedIO } from './test-io.test-util';

const provider = `sbkeytest-${process.pid}-${Date.now().toString(36)}`;
const secret = 'sk-cli-test-0123456789wxyz';
const keychain = openKeychain();

const ios: CapturedIO[] = [];
function io(options: Parameters<typeof captureIO>[0] = {}): CapturedIO {
  const created = captureIO(options);
  ios.push(created);
  return created;
}
afterEach(() => {
  for (const i of ios.splice(0)) i.cleanup();
});
afterAll(() => {
  try {
    for (const label of ['default', 'work']) keychain.delete(keychainAccount(provider, label));
  } catch {
    // No keychain: the tests already failed and said why.
  }
});

describe('switchboard key', () => {
  it('set stores the key from stdin in the keychain and prints it masked only', async () => {
    const a = io({ stdin: `${secret}\n` });
    expect(await run(['set', provider], a)).toBe(0);
    expect(a.out).toEqual([`stored key for ${provider} (sk-…wxyz)`]);
    expect(a.err).toEqual([]);
    expect(keychain.get(keychainAccount(provider))).toBe(secret);

    const b = io();
    expect(await run(['delete', provider], b)).toBe(0);
    expect(b.out).toEqual([`deleted key for ${provider}`]);
    expect(keychain.get(keychainAccount(provider))).toBeNull();
    const c = io();
    expect(await run(['delete', provider], c)).toBe(1);
    expect(c.err).toEqual([`switchboard key: no key stored for ${provider}`]);
  });

  it('keeps labelled keys apart', async () => {
    const a = io({ stdin: 'sk-work-key-0123456789abcd' });
    expect(await run(['set', provider, '--label', 'work'], a)).toBe(0);
    expect(a.out).toEqual([`stored key for ${provider} (label "work") (sk-…abcd)`]);
    expect(keychain.get(keychainAccount(provider, 'work'))).toBe('sk-work-key-0123456789abcd');
    expect(keychain.get(keychainAccount(provider))).toBeNull();
    expect(await run(['delete', provider, '--label', 'work'], io())).toBe(0);
    expect(keychain.get(keychainAccount(provider, 'work'))).toBeNull();
  });

  it('notes when settings list other keys for the provider, so the stored one would go unused', async () => {
    const a = io({ stdin: secret });
    const settings = openSettings(a.dataDir);
    settings.seed({ providers: [{ id: provider, kind: 'openai', keys: [{ env: 'OPENAI_API_KEY' }], models: [] }], routes: [] });
    settings.close();
    expect(await run(['set', provider], a)).toBe(0);
    expect(a.err.join('\n')).toMatch(/not among them; add \{ "keychain": true \} to its keys/);
    expect(await run(['delete', provider], io())).toBe(0);
  });

  it('refuses an empty key and usage mistakes with exit 2, before touching the keychain', async () => {
    const empty = io({ stdin: '\n' });
    expect(await run(['set', provider], empty)).toBe(2);
    expect(empty.err.join('\n')).toMatch(/no key on stdin/);
    expect(keychain.get(keychainAccount(provider))).toBeNull();
    for (const args of [
      [],
      ['set'],
      ['get', provider],
      ['set', 'bad/id'],
      ['set', provider, 'extra'],
      ['set', provider, '--label', ''],
      ['set', provider, '--nope'],
    ]) {
      const a = io({ stdin: secret });
      expect(await run(args, a), args.join(' ')).toBe(2);
      expect(a.err.length).toBeGreaterThan(0);
    }
  });

  it('explains a missing keychain on stderr with exit 1, without echoing the key', () => {
    const result = runWithoutKeychain(`
      import { run } from '../../commands/key';
      import os from 'node:os';
      const out: string[] = [];
      const err: string[] = [];
      const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s), stdin: async () => 'sk-secret-never-shown-0123456789', env: {}, dataDir: os.tmpdir() };
      run(['set', 'openai'], io).then((code) => console.log(JSON.stringify({ code, out, err })));
    `);
    expect(result.stderr).toBe('');
    const { code, out, err } = JSON.parse(result.stdout);
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err.join('\n')).toMatch(/^switchboard key: The OS keychain is not available .*gnome-keyring or KWallet.*"env"/s);
    expect(result.stdout).not.toContain('sk-secret-never-shown');
  });

  it('lists key files as "from file PATH", masked, and says why one is not used (and `key test` fails with it)', async () => {
    const a = io();
    const good = path.join(a.dataDir, 'openai.key');
    const loose = path.join(a.dataDir, 'loose.key');
    fs.writeFileSync(good, 'sk-from-file-0123456789abcd\n', { mode: 0o600 });
    fs.writeFileSync(loose, 'sk-loose-never-shown-0123456789\n');
    fs.chmodSync(loose, 0o644);
    const settings = openSettings(a.dataDir);
    settings.seed({
      providers: [
        { id: 'filed', kind: 'openai', keys: [{ file: good }, { file: loose, label: 'loose' }], models: [] },
        { id: 'loosed', kind: 'openai', keys: [{ file: loose }], models: [] },
      ],
      routes: [],
    });
    settings.close();
    expect(await run(['list'], a)).toBe(0);
    const posix = process.platform !== 'win32';
    expect(a.out).toEqual([
      `filed  ${good}  from file ${good}  sk-…abcd`,
      posix
        ? `filed  loose  from file ${loose}  (not used: key file ${loose} is open to group or others (mode 0644): run \`chmod 600 ${loose}\`)`
        : `filed  loose  from file ${loose}  sk-…6789`,
      posix
        ? `loosed  ${loose}  from file ${loose}  (not used: key file ${loose} is open to group or others (mode 0644): run \`chmod 600 ${loose}\`)`
        : `loosed  ${loose}  from file ${loose}  sk-…6789`,
    ]);
    if (!posix) return;
    const t = io({ dataDir: a.dataDir });
    expect(await run(['test', 'loosed'], t)).toBe(1);
    expect(t.err).toEqual([`switchboard key: key file ${loose} is open to group or others (mode 0644): run \`chmod 600 ${loose}\``]);
    expect([...a.out, ...t.out, ...t.err].join('\n')).not.toContain('never-shown');
  });
});
