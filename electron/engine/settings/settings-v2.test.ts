// Settings v2: migration from v1 files, broken files kept as backups (never reset), budgets and
// price overrides validated, and import/export of providers and routes without keys.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config-schema';
import { exportConfig, importConfig } from './portable';
import { openSettings, type OpenSettings } from './settings-store';
import { createClientToken } from './tokens';

const dirs: string[] = [];
const stores: OpenSettings[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-settings2-'));
  dirs.push(d);
  return d;
}
function open(dir: string): OpenSettings {
  const s = openSettings(dir);
  stores.push(s);
  return s;
}

describe('settings v2', () => {
  it('migrates a v1 file (no version) in place, keeping everything', () => {
    const dir = tempDir();
    const token = createClientToken('cursor').record;
    const v1 = {
      providers: [{ id: 'openai', kind: 'openai', keys: [{ env: 'OPENAI_API_KEY' }], models: [] }],
      routes: [],
      tokens: [token],
    };
    fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(v1));
    const store = open(dir);
    expect(store.read()).toEqual({ ...v1, budgets: [], priceOverrides: {}, port: { allowedOrigins: [], captureBodies: false } });
    expect(JSON.parse(fs.readFileSync(store.path, 'utf8'))).toMatchObject({ version: 2, budgets: [], priceOverrides: {}, tokens: [token] });
  });

  it('refuses a file from a newer version without touching it', () => {
    const dir = tempDir();
    const file = path.join(dir, 'settings.json');
    fs.writeFileSync(file, JSON.stringify({ version: 99, providers: [] }));
    expect(() => openSettings(dir)).toThrow(/settings version 99, newer than this Switchboard understands/);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ version: 99, providers: [] });
  });

  it('keeps a corrupt file as a backup, names both places, and never resets it', () => {
    const dir = tempDir();
    const file = path.join(dir, 'settings.json');
    const broken = '{ "providers": [ {"id": "openai", ';
    fs.writeFileSync(file, broken);
    let message = '';
    try {
      openSettings(dir);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain(`${file} is not valid JSON`);
    const backup = /kept at (\S+);/.exec(message)?.[1];
    expect(backup).toMatch(/settings\.broken-[0-9a-f]{12}\.json$/);
    expect(fs.readFileSync(backup!, 'utf8')).toBe(broken);
    expect(fs.readFileSync(file, 'utf8')).toBe(broken); // not reset
    expect(fs.statSync(backup!).mode & 0o077).toBe(0);
  });

  it('backs up a hand-broken (valid JSON, bad field) file the same way, once per content', () => {
    const dir = tempDir();
    const store = open(dir);
    fs.writeFileSync(
      store.path,
      JSON.stringify({
        version: 2,
        providers: [],
        routes: [],
        tokens: [],
        budgets: [{ name: 'x', period: 'weekly', mode: 'hard', usd: 1 }],
      }),
    );
    expect(() => store.read()).toThrow(/budgets\[0\]\.period/);
    expect(() => store.read()).toThrow(/A copy of the file was kept at/);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('settings.broken-'))).toHaveLength(1);
  });

  it('validates budgets and price overrides before writing them', () => {
    const store = open(tempDir());
    store.setBudgets([
      { name: 'daily', period: 'daily', mode: 'hard', usd: 5 },
      { name: 'cursor', client: 'cursor', period: 'monthly', mode: 'soft', tokens: 1_000_000 },
    ]);
    expect(store.read().budgets).toHaveLength(2);
    expect(() =>
      store.setBudgets([
        { name: 'a', period: 'daily', mode: 'hard', usd: 1 },
        { name: 'a', period: 'monthly', mode: 'soft', usd: 2 },
      ]),
    ).toThrow(/two budgets are named "a"/);
    expect(() => store.setBudgets([{ name: 'neg', period: 'daily', mode: 'hard', usd: -1 }])).toThrow(/invalid budgets/);
    expect(store.read().budgets).toHaveLength(2);
    store.setPriceOverrides({ 'openai/gpt-4o': { input: 2, output: 8 } });
    expect(store.read().priceOverrides).toEqual({ 'openai/gpt-4o': { input: 2, output: 8 } });
    expect(() => store.setPriceOverrides({ 'no-slash': { input: 1 } })).toThrow(/invalid price overrides: .*no-slash/);
  });

  it('exports providers and routes as config JSON without keys, and imports it back atomically', () => {
    const a = open(tempDir());
    a.seed({
      providers: [
        {
          id: 'openai',
          kind: 'openai',
          keys: [{ keychain: true, label: 'work' }, { env: 'OPENAI_API_KEY' }],
          models: [{ id: 'gpt-4o', price: { input: 2.5, output: 10 } }],
        },
      ],
      routes: [{ name: 'fast', strategy: 'fallback', targets: [{ provider: 'openai', model: 'gpt-4o' }] }],
    });
    a.addToken(createClientToken('cursor').record);
    const text = exportConfig(a);
    expect(JSON.parse(text)).toEqual({ providers: a.read().providers, routes: a.read().routes });
    expect(text).not.toContain('tokens');

    const b = open(tempDir());
    b.addToken(createClientToken('aider').record);
    importConfig(b, text);
    expect(b.read().providers).toEqual(a.read().providers);
    expect(b.read().tokens.map((t) => t.name)).toEqual(['aider']); // kept
    // A bad import names the field and changes nothing.
    expect(() => importConfig(b, JSON.stringify({ providers: [{ id: 'x', kind: 'openai-compatible' }] }), 'mine.json')).toThrow(
      /mine\.json is not valid:\n {2}providers\[0\]\.baseUrl/,
    );
    expect(b.read().providers).toEqual(a.read().providers);
  });
});
