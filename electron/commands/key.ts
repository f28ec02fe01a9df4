// `switchboard key set|delete|test PROVIDER_ID [--label L]` and `key list [PROVIDER_ID]`. Keys go to
// the OS keychain only (set reads stdin); output shows the masked form (`sk-…abcd`), never the key.
import fs from 'node:fs';
import path from 'node:path';
import type { KeyInfo } from '../../shared/types';
import { FileKeyError } from '../engine/vault/file-keys';
import { KeychainUnavailableError } from '../engine/vault/keychain';
import { mask } from '../engine/vault/mask';
import { createVault, DEFAULT_LABEL } from '../engine/vault/vault';
import { openSettings } from '../engine/settings/settings-store';
import { parseCommandArgs, type CommandIO } from './io';

const USAGE = `usage: switchboard key set PROVIDER_ID [--label L]      store a key read from stdin in the OS keychain
       switchboard key delete PROVIDER_ID [--label L]   remove it
       switchboard key list [PROVIDER_ID]               every configured key, masked, and where it lives
       switchboard key test PROVIDER_ID [--label L]     try the key against the provider's model list`;
const providerIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export async function run(args: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandArgs(io, 'key', USAGE, {
    args,
    options: { label: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [action, providerId, ...extra] = positionals;
  if (action === 'list' && extra.length === 0) return listKeys(io, providerId);
  if (action === 'test' && providerId && extra.length === 0) return testProviderKey(io, providerId, values.label);
  if ((action !== 'set' && action !== 'delete') || !providerId || extra.length > 0) {
    io.stderr(USAGE);
    return 2;
  }
  if (!providerIdPattern.test(providerId)) {
    io.stderr(`switchboard key: invalid provider id "${providerId}": use letters, digits, ".", "_" or "-"`);
    return 2;
  }
  const label = values.label ?? DEFAULT_LABEL;
  if (label.trim() === '') {
    io.stderr('switchboard key: --label may not be empty');
    return 2;
  }
  const name = label === DEFAULT_LABEL ? providerId : `${providerId} (label "${label}")`;

  try {
    if (action === 'delete') {
      if (!createVault({ env: io.env }).deleteKeychainKey(providerId, label)) {
        io.stderr(`switchboard key: no key stored for ${name}`);
        return 1;
      }
      io.stdout(`deleted key for ${name}`);
      return 0;
    }
    // Keys never contain whitespace; trimming drops the newline of `echo` or a pasted line.
    const secret = (await io.stdin()).trim();
    if (!secret) {
      io.stderr(`switchboard key: no key on stdin; pipe it in, e.g.  printenv OPENAI_API_KEY | switchboard key set ${providerId}`);
      return 2;
    }
    createVault({ env: io.env }).setKeychainKey(providerId, label, secret);
    io.stdout(`stored key for ${name} (${mask(secret)})`);
    const hint = unusedKeyHint(io.dataDir, providerId, label);
    if (hint) io.stderr(hint);
    return 0;
  } catch (error) {
    if (error instanceof KeychainUnavailableError) {
      io.stderr(`switchboard key: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

/**
 * A stored key is only used if the provider's key list names it (or the list is empty). Say so when
 * settings already list other keys, since the key would otherwise sit unused without a word.
 */
function unusedKeyHint(dataDir: string, providerId: string, label: string): string | undefined {
  // Only look at existing settings: `key set` before any setup must not create files in the data dir.
  if (!fs.existsSync(path.join(dataDir, 'settings.json'))) return undefined;
  let keys;
  try {
    const settings = openSettings(dataDir);
    keys = settings.read().providers.find((p) => p.id === providerId)?.keys;
    settings.close();
  } catch {
    return undefined; // no readable settings: nothing to compare with, and the key is stored anyway
  }
  if (!keys || keys.length === 0) return undefined;
  if (keys.some((k) => 'keychain' in k && (k.label ?? DEFAULT_LABEL) === label)) return undefined;
  const entry = label === DEFAULT_LABEL ? '{ "keychain": true }' : `{ "keychain": true, "label": "${label}" }`;
  return `note: provider "${providerId}" lists its keys in settings and this one is not among them; add ${entry} to its keys to use it`;
}

function readProviders(io: CommandIO) {
  if (!fs.existsSync(path.join(io.dataDir, 'settings.json'))) return [];
  const settings = openSettings(io.dataDir);
  try {
    return settings.read().providers;
  } finally {
    settings.close();
  }
}

function listKeys(io: CommandIO, only: string | undefined): number {
  const providers = readProviders(io).filter((p) => only === undefined || p.id === only);
  if (only !== undefined && providers.length === 0) {
    io.stderr(`switchboard key: no provider "${only}" in ${io.dataDir}`);
    return 1;
  }
  const vault = createVault({ env: io.env });
  for (const p of providers) {
    const keys = vault.describe(p.id, p.keys);
    if (keys.length === 0) io.stdout(`${p.id}: no keys configured`);
    for (const k of keys)
      io.stdout(`${p.id}  ${k.label}  ${whereFrom(k)}  ${k.present ? k.masked : k.problem ? `(not used: ${k.problem})` : '(missing)'}`);
  }
  return 0;
}

function whereFrom(k: KeyInfo): string {
  switch (k.source) {
    case 'env':
      return `env ${k.envName}`;
    case 'file':
      return `from file ${k.filePath}`;
    default:
      return 'keychain';
  }
}

async function testProviderKey(io: CommandIO, providerId: string, label: string | undefined): Promise<number> {
  const provider = readProviders(io).find((p) => p.id === providerId);
  if (!provider) {
    io.stderr(`switchboard key: no provider "${providerId}" in ${io.dataDir}; configure it first (serve --config)`);
    return 1;
  }
  const { testKey } = await import('../engine/vault/key-test');
  const { Transport } = await import('../engine/providers/transport');
  const transport = new Transport();
  try {
    const vault = createVault({ env: io.env });
    const keys = vault.keysFor(provider.id, provider.keys);
    const wanted = label ?? keys[0]?.label ?? vault.describe(provider.id, provider.keys)[0]?.label ?? DEFAULT_LABEL;
    const result = await testKey(
      transport,
      provider,
      keys.find((k) => k.label === wanted),
      wanted,
    );
    const line = `${provider.id} (${wanted}${result.masked ? ` ${result.masked}` : ''}): ${result.message}`;
    if (result.ok) io.stdout(line);
    else io.stderr(`switchboard key: ${line}`);
    return result.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof KeychainUnavailableError || error instanceof FileKeyError) {
      io.stderr(`switchboard key: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await transport.close();
  }
}
