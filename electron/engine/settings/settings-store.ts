// User settings (providers, routes, client-token hashes) in `<dataDir>/settings.json`, through conf.
// conf writes atomically (temp file + rename); reads are validated so a hand-edited file fails clearly.
import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import { z } from 'zod';
import { ConfigError, parseConfig, type ProviderConfig, type RouteConfig } from './config-schema';
import { checkTokenName } from './tokens';
import type { ClientTokenRecord, PortSettingsData, SettingsData, SettingsStore } from './types';

const tokenRecordSchema = z.object({
  name: z.string().min(1),
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 hex digest'),
  prefix: z.string(),
  createdAt: z.string(),
  allow: z.array(z.string().min(1)).optional(),
  budgetUsd: z.number().nonnegative().optional(),
});
const portSchema = z.object({
  allowedOrigins: z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'an origin like https://example.com')).default([]),
  captureBodies: z.boolean().default(false),
});
const tokensSchema = z.array(tokenRecordSchema);

/** How long to wait for a burst of file events (an atomic write is several) before re-reading. */
const WATCH_DEBOUNCE_MS = 25;

export interface OpenSettings extends SettingsStore {
  /** Stops watching the file for other processes' writes. */
  close(): void;
}

export function openSettings(dataDir: string): OpenSettings {
  const conf = openConf(dataDir);
  const file = conf.path;
  const listeners = new Set<(data: SettingsData) => void>();
  let lastNotified = '';
  let watcher: fs.FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;

  function read(): SettingsData {
    let stored: Partial<Record<keyof SettingsData, unknown>>;
    try {
      stored = conf.store;
    } catch (error) {
      throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`, []);
    }
    // parseConfig names the bad field (`providers[0].baseUrl`) and fills defaults such as `keys: []`.
    const { providers, routes } = parseConfig({ providers: stored.providers ?? [], routes: stored.routes ?? [] }, file);
    const tokens = tokensSchema.safeParse(stored.tokens ?? []);
    if (!tokens.success) {
      const issues = tokens.error.issues.map((i) => `tokens${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${i.message}`);
      throw new ConfigError(`${file} is not valid:\n  ${issues.join('\n  ')}`, issues);
    }
    const port = portSchema.safeParse(stored.port ?? {});
    if (!port.success) {
      const issues = port.error.issues.map((i) => `port.${i.path.map(String).join('.')}: ${i.message}`);
      throw new ConfigError(`${file} is not valid:\n  ${issues.join('\n  ')}`, issues);
    }
    return { providers, routes, tokens: tokens.data, port: port.data };
  }

  /** Tells listeners about the current data, once per distinct content (our writes and the watcher both call this). */
  function notify(): void {
    if (listeners.size === 0) return;
    let data: SettingsData;
    try {
      data = read();
    } catch {
      return; // another program is mid-edit or left the file invalid: keep the last good data until it is fixed
    }
    const text = JSON.stringify(data);
    if (text === lastNotified) return;
    lastNotified = text;
    for (const listener of listeners) {
      try {
        listener(data);
      } catch (error) {
        // A listener bug must not turn a successful write into a thrown error, nor crash the watcher.
        console.error(`switchboard settings: a change listener failed: ${(error as Error).message}`);
      }
    }
  }

  // Other processes write this file too (`switchboard token create` while the app runs). conf's own
  // watch on Linux polls every few seconds, so watch the directory (atomic writes rename into it).
  function startWatching(): void {
    if (watcher) return;
    try {
      lastNotified = JSON.stringify(read());
    } catch {
      lastNotified = '';
    }
    const base = path.basename(file);
    watcher = fs.watch(path.dirname(file), { persistent: false }, (_event, name) => {
      if (name !== null && name !== base) return;
      clearTimeout(debounce);
      debounce = setTimeout(notify, WATCH_DEBOUNCE_MS);
      debounce.unref();
    });
    watcher.on('error', stopWatching); // e.g. the data dir was removed; writes still notify
  }

  function stopWatching(): void {
    clearTimeout(debounce);
    watcher?.close();
    watcher = undefined;
  }

  function writeTokens(tokens: ClientTokenRecord[]): void {
    conf.set('tokens', tokens);
    notify();
  }

  return {
    path: file,
    read,

    seed(config: { providers: ProviderConfig[]; routes: RouteConfig[] }): void {
      // One store write with both keys (what conf.set does inside): one atomic file replace, so no
      // reader sees new providers with old routes. Tokens and any other keys are kept as they are.
      conf.store = { ...conf.store, providers: config.providers, routes: config.routes };
      notify();
    },

    addToken(record: ClientTokenRecord): void {
      checkTokenName(record.name);
      const { tokens } = read();
      if (tokens.some((t) => t.name === record.name)) {
        throw new Error(`a client token named "${record.name}" already exists; revoke it first or choose another name`);
      }
      writeTokens([...tokens, record]);
    },

    removeToken(name: string): boolean {
      const { tokens } = read();
      const kept = tokens.filter((t) => t.name !== name);
      if (kept.length === tokens.length) return false;
      writeTokens(kept);
      return true;
    },

    setPort(patch: Partial<PortSettingsData>): PortSettingsData {
      const merged = { ...read().port, ...patch };
      const parsed = portSchema.safeParse(merged);
      if (!parsed.success) throw new Error(`invalid port settings: ${parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ')}`);
      conf.set('port', parsed.data);
      notify();
      return parsed.data;
    },

    onChange(listener: (data: SettingsData) => void): () => void {
      listeners.add(listener);
      startWatching();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stopWatching();
      };
    },

    close(): void {
      listeners.clear();
      stopWatching();
    },
  };
}

function openConf(dataDir: string): Conf<SettingsData> {
  try {
    return new Conf<SettingsData>({
      cwd: dataDir,
      configName: 'settings',
      projectName: 'switchboard',
      defaults: { providers: [], routes: [], tokens: [], port: { allowedOrigins: [], captureBodies: false } },
      // Dots are legal in provider ids and token names; keys are top-level names only.
      accessPropertiesByDotNotation: false,
      // Token hashes and provider URLs are nobody else's business on a shared machine.
      configFileMode: 0o600,
    });
  } catch (error) {
    // conf reads the file while opening; a syntax error there should name the file like read() does.
    if (error instanceof SyntaxError) {
      throw new ConfigError(`${path.join(dataDir, 'settings.json')} is not valid JSON: ${error.message}`, []);
    }
    throw error;
  }
}
