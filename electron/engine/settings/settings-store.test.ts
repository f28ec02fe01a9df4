// Settings in a real temp data dir: defaults, seed, tokens, validation errors, change notifications.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config-schema';
import { openSettings, type OpenSettings } from './settings-store';
import { createClientToken } from './tokens';
import type { SettingsData } from './types';

const dirs: string[] = [];
const stores: OpenSettings[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-settings-'));
  dirs.push(dir);
  return dir;
}

function open(dir: string): OpenSettings {
  const store = openSettings(dir);
  stores.push(store);
  return store;
}

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const config = parseConfig({
  providers: [
    { id: 'openai', kind: 'openai', keys: [{ env: 'OPENAI_API_KEY' }] },
    { id: 'local', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:11434/v1' },
  ],
  routes: [{ name: 'fast', targets: [{ provider: 'openai', model: 'gpt-4o-mini' }] }],
});

describe('settings store', () => {
  it('starts empty in settings.json inside the data dir, readable only by the user', () => {
    const dir = tempDir();
    const store = open(dir);
    expect(store.path).toBe(path.join(dir, 'settings.json'));
    expect(store.read()).toEqual({
      providers: [],
      routes: [],
      tokens: [],
      budgets: [],
      priceOverrides: {},
      port: { allowedOrigins: [], captureBodies: false },
    });
    expect(fs.statSync(store.path).mode & 0o077).toBe(0);
  });

  it('seeds providers and routes, keeps tokens, and persists across opens', () => {
    const dir = tempDir();
    const store = open(dir);
    const { record } = createClientToken('cursor');
    store.addToken(record);
    store.seed(config);
    expect(open(dir).read()).toEqual({
      providers: config.providers,
      routes: config.routes,
      tokens: [record],
      budgets: [],
      priceOverrides: {},
      port: { allowedOrigins: [], captureBodies: false },
    });
    store.seed({ providers: [], routes: [] });
    expect(open(dir).read()).toEqual({
      providers: [],
      routes: [],
      tokens: [record],
      budgets: [],
      priceOverrides: {},
      port: { allowedOrigins: [], captureBodies: false },
    });
  });

  it('adds, refuses duplicate, and removes tokens by name', () => {
    const store = open(tempDir());
    const first = createClientToken('cursor').record;
    store.addToken(first);
    expect(() => store.addToken(createClientToken('cursor').record)).toThrow(/client token named "cursor" already exists/);
    expect(() => store.addToken({ ...first, name: 'bad name' })).toThrow(/invalid token name/);
    expect(store.read().tokens).toEqual([first]);
    expect(store.removeToken('nope')).toBe(false);
    expect(store.removeToken('cursor')).toBe(true);
    expect(store.read().tokens).toEqual([]);
  });

  it('names the bad field of a hand-edited file, and the file when it is not JSON', () => {
    const dir = tempDir();
    const store = open(dir);
    fs.writeFileSync(store.path, JSON.stringify({ providers: [{ id: 'x', kind: 'openai-compatible' }], routes: [], tokens: [] }));
    expect(() => store.read()).toThrow(ConfigError);
    expect(() => store.read()).toThrow(/providers\[0\]\.baseUrl/);
    fs.writeFileSync(
      store.path,
      JSON.stringify({ providers: [], routes: [], tokens: [{ name: 'x', hash: 'nothex', prefix: 'sbt_', createdAt: '' }] }),
    );
    expect(() => store.read()).toThrow(/tokens\[0\]\.hash: a sha256 hex digest/);
    fs.writeFileSync(store.path, '{ "providers": [');
    expect(() => store.read()).toThrow(/settings\.json is not valid JSON/);
    expect(() => openSettings(dir)).toThrow(/settings\.json is not valid JSON/);
  });

  it('tells listeners about its own writes once, and stops after unsubscribe', () => {
    const store = open(tempDir());
    const seen: SettingsData[] = [];
    const off = store.onChange((data) => seen.push(data));
    store.seed(config);
    store.addToken(createClientToken('cursor').record);
    expect(seen.map((d) => [d.providers.length, d.tokens.length])).toEqual([
      [2, 0],
      [2, 1],
    ]);
    off();
    store.removeToken('cursor');
    expect(seen).toHaveLength(2);
  });

  it('notices writes made by another process through the file', async () => {
    const dir = tempDir();
    const server = open(dir);
    const seen: string[][] = [];
    server.onChange((data) => seen.push(data.tokens.map((t) => t.name)));
    // A second store on the same dir stands in for `switchboard token create` in another process.
    open(dir).addToken(createClientToken('from-cli').record);
    await expect.poll(() => seen, { timeout: 3_000, interval: 20 }).toEqual([['from-cli']]);
  });

  it('keeps noticing after each atomic replace, and after the file is deleted and written again', async () => {
    const dir = tempDir();
    const server = open(dir);
    const seen: string[][] = [];
    server.onChange((data) => seen.push(data.tokens.map((t) => t.name)));
    const cli = open(dir);
    // Each write renames a new file over the watched one: the watch must follow the name, not the old inode.
    for (const name of ['one', 'two', 'three']) {
      cli.addToken(createClientToken(name).record);
      await expect.poll(() => seen.at(-1), { timeout: 3_000, interval: 20 }).toContain(name);
    }
    const text = fs.readFileSync(server.path, 'utf8');
    fs.rmSync(server.path);
    await new Promise((r) => setTimeout(r, 100)); // the watch falls back to the directory while the name is missing
    fs.writeFileSync(server.path, text.replace('"three"', '"renamed"'));
    await expect.poll(() => seen.at(-1), { timeout: 3_000, interval: 20 }).toEqual(['one', 'two', 'renamed']);
    cli.addToken(createClientToken('after').record);
    await expect.poll(() => seen.at(-1), { timeout: 3_000, interval: 20 }).toContain('after');
  });
});
