// Shape of the persisted settings (conf, in the data dir). Client tokens are kept only as hashes.
import type { AppPreferences, ChatDefaults, Price } from '../../../shared/types';
import type { BudgetConfig } from '../budgets/types';
import type { AliasConfig, HealthConfig, ProviderConfig, RouteConfig } from './config-schema';

export interface ClientTokenRecord {
  name: string;
  /** sha256 hex of the token; the token itself is shown once and never stored. */
  hash: string;
  /** First characters of the token, to tell tokens apart in lists (`sbt_ab12…`). */
  prefix: string;
  createdAt: string;
  /** Route names or `provider/model` ids (`provider/*` wildcard) the token may use; absent: all. */
  allow?: string[];
  /** Hard monthly USD budget for this client (budgets/token-budgets.ts). */
  budgetUsd?: number;
  /** That budget lets requests to models without a known price through. */
  budgetAllowUnpriced?: boolean;
}

/** The port's user settings (see shared PortSettings). */
export interface PortSettingsData {
  allowedOrigins: string[];
  captureBodies: boolean;
}

export interface SettingsData {
  providers: ProviderConfig[];
  routes: RouteConfig[];
  tokens: ClientTokenRecord[];
  port: PortSettingsData;
  /** Proxy and desktop preferences; absent until first set (then APP_DEFAULTS apply). */
  app?: AppPreferences;
  /** Defaults for new chats and the chat's text size; absent until first set (then CHAT_DEFAULTS apply). */
  chat?: ChatDefaults;
  budgets: BudgetConfig[];
  /** `provider/model` -> price the user set; wins over config and catalog prices. */
  priceOverrides: Record<string, Price>;
  /** Model-name aliases (`claude-*` -> a route); absent means none. */
  aliases?: AliasConfig[];
  /** Breaker and cooldown tuning; absent means the defaults. */
  health?: HealthConfig;
}

export interface SettingsStore {
  read(): SettingsData;
  /** Replaces providers and routes (e.g. from `--config`), atomically. */
  seed(config: { providers: ProviderConfig[]; routes: RouteConfig[]; aliases?: AliasConfig[]; health?: HealthConfig }): void;
  addToken(record: ClientTokenRecord): void;
  removeToken(name: string): boolean;
  /** Updates the port's settings (allowed origins, body capture). */
  setPort(patch: Partial<PortSettingsData>): PortSettingsData;
  /** Updates proxy and desktop preferences (validated; a bad patch changes nothing). */
  setApp(patch: Partial<AppPreferences>): AppPreferences;
  /** Updates the chat's defaults (validated; a bad patch changes nothing). */
  setChat(patch: Partial<ChatDefaults>): ChatDefaults;
  setBudgets(budgets: BudgetConfig[]): void;
  setPriceOverrides(overrides: Record<string, Price>): void;
  /** Called with fresh data after every write (including writes by another process, when detectable). */
  onChange(listener: (data: SettingsData) => void): () => void;
  readonly path: string;
}
