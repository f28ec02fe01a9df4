// The key entries a config file (and settings) may hold: an env variable, an absolute key file, or the
// keychain; anything else is refused naming the field.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config-schema';

const withKeys = (keys: unknown[]) => ({ providers: [{ id: 'openai', kind: 'openai', keys }] });

/** The ConfigError's lines for these keys. */
function issues(keys: unknown[]): string[] {
  try {
    parseConfig(withKeys(keys));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

describe('provider keys in the config', () => {
  it('takes a key file by absolute path, with an optional label, next to env and keychain keys', () => {
    const keys = [
      { file: '/etc/switchboard/keys/openai' },
      { file: '/run/secrets/openai key', label: 'backup' },
      { env: 'K' },
      { keychain: true },
    ];
    expect(parseConfig(withKeys(keys)).providers[0]!.keys).toEqual(keys);
  });

  it('refuses a relative or empty key-file path, naming the field', () => {
    for (const file of ['keys/openai', './openai', 'openai', '~/keys/openai', '']) {
      expect(issues([{ env: 'K' }, { file }]), file).toEqual([
        'providers[0].keys[1].file: an absolute path to a file holding the key (e.g. /etc/switchboard/keys/openai)',
      ]);
    }
    expect(issues([{ file: '/etc/key\0' }])).toEqual([expect.stringMatching(/^providers\[0\]\.keys\[0\]\.file: an absolute path/)]);
  });

  it('says which key shapes there are when an entry is none of them', () => {
    for (const key of [{}, { file: 3 }, { file: '/k', keychain: true }, { path: '/k' }]) {
      expect(issues([key]), JSON.stringify(key)).toEqual([
        'providers[0].keys[0]: a key is { "env": "NAME" }, { "file": "/absolute/path" } or { "keychain": true }, each with an optional "label"',
      ]);
    }
    expect(issues([{ env: 'not a name' }])).toEqual(['providers[0].keys[0].env: an environment variable name']);
  });
});
