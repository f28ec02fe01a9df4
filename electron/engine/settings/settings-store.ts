// User settings (providers, routes, client-token hashes) in `<dataDir>/settings.json`, through conf.
// conf writes atomically (temp file + rename); reads are validated so a hand-edited file fails clearly.
import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import { z } from 'zod';
import type { AppPreferences, ChatDefaults, Price } from '../../../shared/types';
import { budgetSchema, type BudgetConfig } from '../budgets/types';
import { mergeChatDefaults } from './chat-defaults';
import { ensurePrivateDir, tightenFile } from '../private-files';
import { APP_DEFAULTS, appSchema, extrasSchema, portSchema, tokensSchema } from './settings-schema';

export { APP_DEFAULTS } from './settings-schema';
import { ConfigError, parseConfig, type AliasConfig, type HealthConfig, type ProviderConfig, type RouteConfig } from './config-schema';
import { backupBrokenFile, migrateSettings } from './migrations';
import { checkTokenName } from './tokens';
import { issueLines, parseOrThrow } from './zod-issues';
import type { ClientTokenRecord, PortSettingsData, SettingsData, SettingsStore } from './types';

/** A settings error that also says where the unreadable file was copied, so nothing is lost. */
function broken(file: string, message: string, issues: string[]): ConfigError {
  const backup = backupBrokenFile(file);
  const kept = backup ? `\nA copy of the file was kept at ${backup}; fix ${file} (or restore from the copy) and start again.` : '';
  return new ConfigError(`${message}${kept}`, issues);
}

/** How long to wait for a burst of file events (an atomic write is several) before re-reading. */
const WATCH_DEBOUNCE_MS = 25;

export interface OpenSettings extends SettingsStore {
  /** Stops watching the file for other processes' writes. */
  close(): void;
}

export function openSettings(dataDir: string): OpenSettings {
  // conf would create the dir world-readable; the CLI may open settings before anything else does.
  ensurePrivateDir(dataDir);
  tightenFile(path.join(dataDir, 'settings.json'));
  refuseNewerFile(path.join(dataDir, 'settings.json'));
  const conf = openConf(dataDir);
  const file = conf.path;
  // conf has just filled in defaults; bring an older file up to SETTINGS_VERSION (one atomic write).
  const migrated = migrateSettings(conf.store as unknown as Record<string, unknown>, file);
  if (migrated) conf.store = migrated as unknown as SettingsData;
  const listeners = new Set<(data: SettingsData) => void>();
  let lastNotified = '';
  let watcher: fs.FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;

  function read(): SettingsData {
    let stored: Partial<Record<keyof SettingsData, unknown>>;
    try {
      stored = conf.store;
    } catch (error) {
      throw broken(file, `${file} is not valid JSON: ${(error as Error).message}`, []);
    }
    // parseConfig names the bad field (`providers[0].baseUrl`) and fills defaults such as `keys: []`.
    let config;
    try {
      config = parseConfig(
        { providers: stored.providers ?? [], routes: stored.routes ?? [], aliases: stored.aliases, health: stored.health },
        file,
      );
    } catch (error) {
      const e = error as ConfigError;
      throw broken(file, e.message, e.issues);
    }
    const tokens = tokensSchema.safeParse(stored.tokens ?? []);
    const extras = extrasSchema.safeParse(stored);
    if (!tokens.success || !extras.success) {
      const issues = [...(tokens.success ? [] : issueLines(tokens.error, 'tokens')), ...(extras.success ? [] : issueLines(extras.error))];
      throw broken(file, `${file} is not valid:\n  ${issues.join('\n  ')}`, issues);
    }
    const data: SettingsData = {
      providers: config.providers,
      routes: config.routes,
      tokens: tokens.data,
      budgets: extras.data.budgets,
      priceOverrides: extras.data.priceOverrides,
      port: extras.data.port,
    };
    if (extras.data.app) data.app = extras.data.app;
    if (extras.data.chat) data.chat = extras.data.chat;
    if (config.aliases) data.aliases = config.aliases;
    if (config.health) data.health = config.health;
    return data;
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
  // watch on Linux polls every few seconds, so watch with inotify. The file itself, not its directory:
  // the directory also holds the ledger, and a directory watch woke this process for every ledger write
  // (the row log's appends, the WAL's pages) to learn that the name was not settings.json.
  function startWatching(): void {
    if (watcher) return;
    try {
      lastNotified = JSON.stringify(read());
    } catch {
      lastNotified = '';
    }
    watchFile();
  }

  /**
   * conf's atomic write renames a new file over the old one, so the inode being watched is gone after
   * each write: every event watches the name afresh. While the name points at nothing (another program
   * deleted the file before writing it again), the directory is watched until it is back.
   */
  function watchFile(): void {
    watcher?.close();
    const changed = () => {
      watchFile();
      clearTimeout(debounce);
      debounce = setTimeout(notify, WATCH_DEBOUNCE_MS);
      debounce.unref();
    };
    try {
      watcher = fs.watch(file, { persistent: false }, changed);
    } catch {
      const base = path.basename(file);
      try {
        watcher = fs.watch(path.dirname(file), { persistent: false }, (_event, name) => {
          if (name === null || name === base) changed();
        });
      } catch {
        watcher = undefined; // the data dir itself is gone; writes through this store still notify
        return;
      }
    }
    watcher.on('error', stopWatching);
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

    seed(config: { providers: ProviderConfig[]; routes: RouteConfig[]; aliases?: AliasConfig[]; health?: HealthConfig }): void {
      // One store write with both keys (what conf.set does inside): one atomic file replace, so no
      // reader sees new providers with old routes. Tokens and any other keys are kept as they are.
      const current = conf.store;
      const { aliases: _aliases, health: _health, ...rest } = current;
      const next = {
        ...rest,
        providers: config.providers,
        routes: config.routes,
        ...(config.aliases ? { aliases: config.aliases } : {}),
        ...(config.health ? { health: config.health } : {}),
      };
      // `serve --config` seeds on every start: an unchanged config is not written again (an fsync'd
      // file replace before the port can answer).
      if (JSON.stringify(next) !== JSON.stringify(current)) conf.store = next;
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
      const port = parseOrThrow(portSchema, { ...read().port, ...patch }, 'port settings');
      conf.set('port', port);
      notify();
      return port;
    },

    setApp(patch: Partial<AppPreferences>): AppPreferences {
      const app = parseOrThrow(appSchema, { ...APP_DEFAULTS, ...read().app, ...patch }, 'preferences');
      conf.set('app', app);
      notify();
      return app;
    },

    setChat(patch: Partial<ChatDefaults>): ChatDefaults {
      const next = mergeChatDefaults(read().chat, patch);
      conf.set('chat', next);
      notify();
      return next;
    },

    setBudgets(budgets: BudgetConfig[]): void {
      const checked = parseOrThrow(z.array(budgetSchema), budgets, 'budgets');
      const names = new Set<string>();
      for (const b of checked) {
        if (names.has(b.name)) throw new Error(`invalid budgets: two budgets are named "${b.name}"`);
        names.add(b.name);
      }
      conf.set('budgets', checked);
      notify();
    },
    setPriceOverrides(overrides: Record<string, Price>): void {
      conf.set('priceOverrides', parseOrThrow(extrasSchema.shape.priceOverrides, overrides, 'price overrides'));
      notify();
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

/** Checked before conf opens the file, because conf writes its defaults into it on open. */
function refuseNewerFile(file: string): void {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return; // missing (fresh start) or not JSON (reported, with a backup, by openConf)
  }
  if (data && typeof data === 'object')
    migrateSettings(
      { ...(data as Record<string, unknown>), version: Math.max(Number((data as { version?: unknown }).version) || 0, 1) },
      file,
    );
}

function openConf(dataDir: string): Conf<SettingsData> {
  try {
    return new Conf<SettingsData>({
      cwd: dataDir,
      configName: 'settings',
      projectName: 'switchboard',
      defaults: {
        providers: [],
        routes: [],
        tokens: [],
        budgets: [],
        priceOverrides: {},
        port: { allowedOrigins: [], captureBodies: false },
      },
      // Dots are legal in provider ids and token names; keys are top-level names only.
      accessPropertiesByDotNotation: false,
      // Token hashes and provider URLs are nobody else's business on a shared machine.
      configFileMode: 0o600,
    });
  } catch (error) {
    // conf reads the file while opening; a syntax error there should name the file like read() does.
    if (error instanceof SyntaxError) {
      const file = path.join(dataDir, 'settings.json');
      throw broken(file, `${file} is not valid JSON: ${error.message}`, []);
    }
    throw error;
  }
}
