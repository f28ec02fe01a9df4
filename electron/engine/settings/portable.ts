// Import and export of providers and routes as the config JSON (`serve --config` format). Keys are
// never part of it: keychain entries are references by label, env keys are variable names.
import type { Config } from './config-schema';
import { parseConfigText } from './config-schema';
import type { SettingsStore } from './types';

/** The config JSON for the current providers and routes; no secret can be in it by construction. */
export function exportConfig(store: SettingsStore): string {
  const { providers, routes, aliases, health } = store.read();
  const out: Pick<Config, 'providers' | 'routes' | 'aliases' | 'health'> = { providers, routes };
  if (aliases) out.aliases = aliases;
  if (health) out.health = health;
  return `${JSON.stringify(out, null, 2)}\n`;
}

/**
 * Replaces providers and routes from config JSON, after validating all of it (a bad file changes
 * nothing and the error names the field). Tokens, budgets and price overrides are kept.
 */
export function importConfig(store: SettingsStore, text: string, source = 'imported config'): Config {
  const config = parseConfigText(text, source);
  store.seed({ providers: config.providers, routes: config.routes, aliases: config.aliases, health: config.health });
  return config;
}
