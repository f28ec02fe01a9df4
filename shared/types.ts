// Data types that cross the boundary between the engine (main process / serve) and the renderer.
// Plain data only: nothing here may hold a key or a token in the clear. Chat and spend types live in
// chat-types.ts and spend-types.ts, re-exported here so every import of shared/types keeps working.

export * from './chat-types';
export * from './spend-types';

export type ProviderKind = 'openai' | 'openai-compatible' | 'anthropic' | 'gemini' | 'ollama' | 'azure-openai';

/** USD per million tokens. Missing fields mean "unknown", never zero. */
export interface Price {
  input?: number;
  output?: number;
  cacheRead?: number;
  /** Cache writes; with Anthropic the 5-minute ones (1.25x input). */
  cacheWrite?: number;
  /** Anthropic's 1-hour cache writes (2x input); absent: priced at `cacheWrite`. */
  cacheWrite1h?: number;
  /** Reasoning output tokens, where the model prices them apart from other output. */
  reasoning?: number;
}

export interface ModelInfo {
  id: string;
  contextWindow?: number;
  price?: Price;
  /**
   * Where the price comes from; 'local' is a keyless provider on this machine (Ollama, LM Studio), free;
   * 'unknown' means no price is known and costs show as unknown.
   */
  priceSource?: 'override' | 'config' | 'refreshed' | 'bundled' | 'local' | 'unknown';
}

/** A key as the renderer may see it: where it lives and a masked form (`sk-…abcd`), never the key. */
export interface KeyInfo {
  label: string;
  /**
   * 'session': kept in memory only (no OS keychain was available); gone when Switchboard stops.
   * 'file': read from `filePath`, a file only the service user may read (servers).
   */
  source: 'env' | 'keychain' | 'session' | 'file';
  envName?: string;
  filePath?: string;
  masked?: string;
  present: boolean;
  /** Why a configured key is not used, with what to do (a key file others can read: `chmod 600 FILE`); never the key. */
  problem?: string;
}

export interface ProviderInfo {
  id: string;
  kind: ProviderKind;
  baseUrl?: string;
  supported: boolean;
  models: ModelInfo[];
  keys: KeyInfo[];
}

export type RouteStrategy = 'fallback' | 'weighted' | 'lowest-latency' | 'lowest-cost';

export interface RouteTarget {
  provider: string;
  model: string;
  /** Share of traffic under a weighted strategy, as configured. */
  weight?: number;
}

export interface RouteInfo {
  name: string;
  strategy: RouteStrategy;
  targets: RouteTarget[];
  /** The route's own timeouts as configured (what an editor shows); absent fields use the defaults. */
  configuredTimeouts?: RouteTimeouts;
  /** Effective timeouts in ms (the route's own, else the defaults). */
  timeouts?: { connectMs: number; firstTokenMs: number; idleMs: number; totalMs: number };
}

/** A model-name alias from the config: `match` (exact, or with `*` wildcards) -> a route or provider/model. */
export interface AliasInfo {
  match: string;
  to: string;
}

/** Something a chat can address: a route name or a `provider/model` id. */
export interface ModelChoice {
  id: string;
  kind: 'route' | 'model';
  label: string;
}

/** A client token as the UI sees it: never the token, only its first characters. */
export interface ClientTokenInfo {
  name: string;
  /** First characters of the token (`sbt_ab12`), to tell tokens apart. */
  prefix: string;
  createdAt: string;
  /** Route names or `provider/model` ids (`provider/*` for all of a provider's) this token may use; absent: all. */
  allow?: string[];
  /** Hard monthly USD budget for this token's client (UTC month), enforced before each request. */
  budgetUsd?: number;
  /** Its budget lets requests to models without a known price through (their cost cannot be counted). */
  budgetAllowUnpriced?: boolean;
  /** Spend recorded in the ledger for this client so far; null when some of it has an unknown cost. */
  spendUsd: number | null;
  /** The known part of spendUsd. */
  knownSpendUsd: number;
  unknownCostRequests: number;
  requests: number;
}

export interface CreateTokenRequest {
  name: string;
  allow?: string[];
  budgetUsd?: number;
  /** With budgetUsd: let requests to models without a known price through instead of refusing them. */
  budgetAllowUnpriced?: boolean;
}

/** What `create` returns: the token itself, shown once and stored nowhere. */
export interface CreatedToken {
  token: string;
  info: ClientTokenInfo;
}

/** One request on the local port, for the UI's request log. Bodies only when capture is on, redacted of keys. */
export interface PortRequestLogEntry {
  id: string;
  startedAt: number;
  client: string | null;
  /** Route name, or null when a `provider/model` id (or nothing routable) was asked for. */
  route: string | null;
  provider: string | null;
  model: string | null;
  /** The model name the client asked for (a route, an alias, a `provider/model` id), when it named one. */
  requestedModel?: string | null;
  /** The HTTP path, for requests refused before routing (e.g. a missing token). */
  path?: string;
  status: 'ok' | 'error' | 'cancelled' | 'refused' | 'interrupted';
  httpStatus: number;
  errorMessage?: string;
  attempts: Array<{ provider: string; model: string; status: number | null; errorClass?: string; durationMs: number }>;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  ttftMs: number | null;
  durationMs: number;
  /** The token figures (and so the cost) are estimates: the upstream reported none. */
  usageEstimated?: boolean;
  /** The request body with keys and tokens replaced by `[redacted]`; present only while capture is on. */
  requestBody?: string;
  /** What the client asked for that the target could not serve, dropped rather than refused (e.g. an Anthropic server tool). */
  notes?: string[];
}

export interface PortSettings {
  /** Browser Origins (`https://app.example`) allowed to call the API; empty: every web page is refused. */
  allowedOrigins: string[];
  /** Keep redacted request bodies in the request log (off by default). */
  captureBodies: boolean;
}

export interface PortInfo {
  /** Base URL of the port, e.g. `http://127.0.0.1:4141`; null when the port is not running. */
  url: string | null;
  host: string | null;
  /** True when bound beyond loopback (an explicit, warned choice). */
  exposed: boolean;
  settings: PortSettings;
  /** Why the port cannot be switched on or off here (e.g. under `serve`, the UI lives on it); null when it can. */
  toggleBlockedBecause: string | null;
}

/** How to point one tool at the port: steps and copyable snippets, with `{{baseUrl}}`, `{{token}}`, `{{model}}` placeholders. */
export interface ToolSetupGuide {
  id: string;
  name: string;
  dialect: 'openai' | 'anthropic' | 'ollama' | 'gemini';
  steps: string[];
  snippets: Array<{ label: string; language: string; text: string }>;
  docsUrl?: string;
}

/** One attempt outcome in a target's recent history. */
export interface HealthEvent {
  at: number;
  ok: boolean;
  status: number | null;
  errorClass?: string;
  keyLabel?: string;
}

/** A target's breaker and latency as the router sees them now (epoch-ms times). */
export interface TargetHealthInfo {
  provider: string;
  model: string;
  breaker: 'closed' | 'open' | 'half-open';
  openUntil: number | null;
  /** Set while a Retry-After from the target itself (503/529) is being honoured. */
  cooldownUntil: number | null;
  failuresInWindow: number;
  successes: number;
  failures: number;
  ttftMs: number | null;
  tokensPerSec: number | null;
  recent: HealthEvent[];
}

/** A key the router is not using: cooling down after a 429, or retired after 401/402/403. */
export interface KeyHealthInfo {
  provider: string;
  label: string;
  /** The model a cooldown covers (rate limits are per model); null when it covers the whole key. */
  model: string | null;
  state: 'cooling-down' | 'retired';
  since: number | null;
  until: number | null;
  status: number | null;
  reason: string;
  /** A retired key: when one request will try it again (sooner if its secret is replaced). */
  nextCheckAt: number | null;
  /** A retired key: how many re-checks it has failed since it was first refused. */
  failedProbes?: number;
}

export interface HealthSnapshot {
  at: number;
  targets: TargetHealthInfo[];
  keys: KeyHealthInfo[];
}

export interface KeyTestResult {
  ok: boolean;
  provider: string;
  label: string;
  /** Masked key (`sk-…abcd`) that was tried, when there was one. */
  masked?: string;
  status?: number;
  message: string;
}

export interface CatalogInfo {
  /** Where the bundled prices come from and the date of that snapshot. */
  source: string;
  date: string;
  /** When prices were last refreshed from the public list, or null. */
  refreshedAt: string | null;
  overrides: Record<string, Price>;
}

/** A kind of provider the user can add, or an OpenAI-compatible vendor with a known base URL. */
export interface ProviderPreset {
  /** Suggested provider id (a preset's id names its vendor). */
  id: string;
  kind: ProviderKind;
  label: string;
  baseUrl?: string;
  /** The user must give a base URL (openai-compatible without a preset, azure-openai). */
  needsBaseUrl: boolean;
  /** Local servers that need no key. */
  keyless: boolean;
}

/** A provider as the UI adds or edits it; keys are managed apart (keys.set / keys.remove). */
export interface ProviderInput {
  id: string;
  kind: ProviderKind;
  baseUrl?: string;
  models?: Array<{ id: string; contextWindow?: number; price?: Price }>;
}

export interface RouteTimeouts {
  connectMs?: number;
  firstTokenMs?: number;
  idleMs?: number;
  totalMs?: number;
}

/** A route as the UI creates or edits it (flat targets, in order; weights for `weighted`). */
export interface RouteInput {
  name: string;
  strategy: RouteStrategy;
  targets: Array<{ provider: string; model: string; weight?: number }>;
  timeouts?: RouteTimeouts;
}

/** Desktop and network preferences kept in settings. */
export interface AppPreferences {
  /** Proxy for every upstream request (`http://host:port`), or null to connect directly. */
  proxy: string | null;
  /** Per-provider proxies (provider id -> proxy URL): stored and shown; the engine applies only the global one. */
  providerProxies: Record<string, string>;
  /** Start Switchboard when the user logs in (desktop). */
  startOnLogin: boolean;
  /** Closing the window keeps Switchboard (and the port) running in the tray (desktop). */
  closeToTray: boolean;
}

/** Where this engine keeps its data. */
export interface DataLocation {
  dataDir: string;
  settingsFile: string;
  ledgerFile: string;
}

/** Team mode: rows this instance has not yet written to the team database (its bounded, disk-backed queue). */
export interface TeamOutbox {
  unshipped: number;
  /** When the oldest waiting row was queued (epoch ms), or null when none waits. */
  oldestUnshippedAt: number | null;
  /** Why the last write to the database failed (already redacted), or null once a write succeeds. */
  lastError: string | null;
  /** When rows last reached the database (epoch ms). */
  lastShippedAt: number | null;
}

/** Whether this engine runs in team mode (`serve --ledger postgres://…`), and on what. */
export interface TeamStatus {
  enabled: boolean;
  /** The team database's URL, redacted (never its password). */
  database?: string;
  /** This instance's name in the team's requests. */
  instance?: string;
  outbox?: TeamOutbox;
}

/** A member's client token, as the team database lists it (never the token or its hash). */
export interface TeamTokenInfo {
  name: string;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
}

/** A team member with their tokens and what they spent this UTC month. */
export interface TeamMemberInfo {
  name: string;
  email: string | null;
  tokens: TeamTokenInfo[];
  /** This UTC month: null when some cost is unknown (knownMonthSpendUsd beside it), never $0 for unknown. */
  monthSpendUsd: number | null;
  knownMonthSpendUsd: number;
  unknownCostRequests: number;
  monthRequests: number;
  /** The member's hard/soft monthly USD budget, if any. */
  budgetUsd: number | null;
}
