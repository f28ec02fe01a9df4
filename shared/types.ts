// Data types that cross the boundary between the engine (main process / serve) and the renderer.
// Plain data only: nothing here may hold a key or a token in the clear.

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
  /** 'session': kept in memory only (no OS keychain was available); gone when Switchboard stops. */
  source: 'env' | 'keychain' | 'session';
  envName?: string;
  masked?: string;
  present: boolean;
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

/** A part of a message: text, or an image (a `data:` URL or an https URL), sent on as OpenAI's image_url part. */
export type ChatContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string | ChatContentPart[];
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  /** Ask a reasoning model to think first (OpenAI's `reasoning_effort`; adapters translate it). */
  reasoningEffort?: 'low' | 'medium' | 'high';
  /** Do not store this exchange as a conversation (a route test, a compare column). */
  ephemeral?: boolean;
  /** What the ledger records as the request's source (default 'chat'). */
  source?: 'chat' | 'compare';
  /** Continue this stored conversation (its earlier messages are already saved); absent: start a new one. */
  conversationId?: string;
  /** Sent upstream first, as a system message; stored as the conversation's own (not as a message). */
  systemPrompt?: string;
  /** An id the caller picks so `chat.stop(stopId)` can end this reply early and still get its `done`. */
  stopId?: string;
}

/** A tool call a model made in a reply: the tool's name and its arguments (JSON text, as the model sent it). */
export interface ToolCallInfo {
  id: string;
  name: string;
  arguments: string;
}

export interface ChatUsage {
  inputTokens: number;
  outputTokens: number;
}

export type ChatStreamEvent =
  /**
   * Sent once, before the first text, when the exchange is stored: the conversation it is saved to
   * (new or continued). A reply the user stops is kept there with the text it had.
   */
  | { type: 'conversation'; conversationId: string }
  | { type: 'delta'; text: string }
  /** Thinking text the model streams apart from its answer (reasoning_content / reasoning). */
  | { type: 'reasoning'; text: string }
  /** A tool call the model made, once its arguments are complete (the chat runs no tools: it shows them). */
  | { type: 'tool_call'; call: ToolCallInfo }
  /** The request passed a soft budget: it went through, and the budget's message says by how much. */
  | { type: 'warning'; message: string }
  | {
      type: 'done';
      provider: string;
      model: string;
      usage: ChatUsage;
      costUsd: number | null;
      ttftMs: number | null;
      attempts: number;
      /** The stored conversation this exchange was saved to. */
      conversationId?: string;
      /** The ledger row of this request (links a stored message to what it cost). */
      requestId?: string;
      /** `chat.stop` ended the reply early: the text so far is kept; usage and cost are what it used. */
      stopped?: boolean;
    }
  | { type: 'error'; message: string };

export type SpendGroupBy = 'day' | 'model' | 'provider' | 'client' | 'route';

export type SpendSource = 'port' | 'chat' | 'compare';

export interface SpendQuery {
  /** Start (inclusive): a duration back from now (`7d`, `24h`, `30m`) or an ISO date. Absent: everything. */
  since?: string;
  /** End (exclusive), same forms as `since`. Absent: now. */
  until?: string;
  by?: SpendGroupBy;
  /** Only requests from this client (token name) / this source. */
  client?: string;
  source?: SpendSource;
  /** Series only: one point per UTC day (default) or per UTC hour (for short ranges; `day` is then `YYYY-MM-DDTHH`). */
  bucket?: 'day' | 'hour';
}

export interface SpendTotals {
  requests: number;
  /** Every input token, cached or not; cache reads and writes are parts of it. */
  inputTokens: number;
  /** Every output token; reasoning tokens are part of it. */
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** USD, rounded to 6 decimals; null when any request in it has an unknown cost (a sum with an unknown part is unknown). */
  costUsd: number | null;
  /** USD of the requests whose cost is known (equals costUsd when nothing is unknown). */
  knownCostUsd: number;
  /** Requests whose cost is unknown (no price for the model): not in knownCostUsd, never counted as $0. */
  unknownCostRequests: number;
  /** Requests whose token figures (and so cost) are our estimates, the upstream having reported none; absent when none. */
  estimatedRequests?: number;
}

export interface SpendGroup extends SpendTotals {
  key: string;
}

export interface SpendSummary extends SpendTotals {
  groups: SpendGroup[];
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

/** One day of a series (UTC days), optionally split by `key` (the query's `by`). */
export interface SpendPoint extends SpendTotals {
  /** `YYYY-MM-DD`, or `YYYY-MM-DDTHH` in an hourly series. */
  day: string;
  key: string;
}

export interface SpendSeries {
  by: SpendGroupBy | null;
  points: SpendPoint[];
}

export type BudgetPeriod = 'daily' | 'monthly';

/** A budget and where it stands now (UTC days and months). */
export interface BudgetStatus {
  name: string;
  /** Client token name, or null for the global budget. */
  client: string | null;
  period: BudgetPeriod;
  mode: 'soft' | 'hard';
  limitUsd?: number;
  limitTokens?: number;
  /** USD spent in the period; null when some of it has an unknown cost (see knownSpentUsd). */
  spentUsd: number | null;
  /** The known part of spentUsd: what a USD limit is measured against. */
  knownSpentUsd: number;
  /** Requests in the period whose cost is unknown (let through by allowUnpriced). */
  unknownCostRequests: number;
  /** USD and tokens held for requests in flight (their worst case, until each ends). */
  reservedUsd: number;
  reservedTokens: number;
  spentTokens: number;
  /** Whole percent of the limit used (the larger of USD and tokens), not capped at 100. */
  percent: number;
  allowUnpriced: boolean;
  /** ok: under 80%; near: 80% or more; over: reached (soft budgets warn, hard budgets refuse). */
  state: 'ok' | 'near' | 'over';
  message?: string;
}

/** A warning raised by a soft budget, most recent first. */
export interface BudgetWarning {
  at: number;
  budget: string;
  client: string | null;
  message: string;
}

export interface ConversationSummary {
  id: string;
  kind: 'chat' | 'compare';
  title: string;
  createdAt: number;
  updatedAt: number;
  /** How many messages it holds (set by list, get and search). */
  messageCount?: number;
  /** The route or `provider/model` it talks to: what it was started with, or last switched to. */
  model?: string;
  /** Its own system prompt, sent first with every request. */
  systemPrompt?: string;
  /** Its own temperature; absent: the model's default. */
  temperature?: number;
}

/** A change to a conversation's own settings (absent: unchanged; a null temperature: the model's default). */
export interface ConversationOptions {
  model?: string;
  systemPrompt?: string;
  temperature?: number | null;
}

export interface StoredMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /** Images the message carried (data: or https: URLs), in order. */
  images?: string[];
  model?: string;
  requestId?: string;
  createdAt: number;
  /** For a reply: what the request that produced it reported, from the ledger. */
  report?: Omit<Extract<ChatStreamEvent, { type: 'done' }>, 'type' | 'conversationId' | 'requestId' | 'stopped'>;
  /** A reply that did not finish: stopped by the user, or failed (with `error`); absent: complete. */
  status?: 'stopped' | 'error';
  error?: string;
  /** Tool calls the model made in this reply. */
  toolCalls?: ToolCallInfo[];
}

export interface Conversation extends ConversationSummary {
  messages: StoredMessage[];
}

/** A budget as configured (see BudgetStatus for where it stands). */
export interface BudgetSpec {
  name: string;
  /** Client token name; absent = global. */
  client?: string;
  period: BudgetPeriod;
  mode: 'soft' | 'hard';
  usd?: number;
  tokens?: number;
  /**
   * A hard USD budget refuses a request to a model without a known price (its cost could not be
   * counted against the limit) unless this is true.
   */
  allowUnpriced?: boolean;
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

/** A spend drill-down: the query's range and filters, down to single requests (newest first). */
export interface SpendRequestsQuery extends SpendQuery {
  provider?: string;
  /** The model id as the provider names it (without `provider/`). */
  model?: string;
  route?: string;
  /** At most this many (default 100, at most 500). */
  limit?: number;
  /** Only requests that started before this epoch-ms time (the next page). */
  before?: number;
}

export interface SpendAttempt {
  provider: string;
  model: string;
  keyLabel?: string;
  /** Upstream HTTP status, or null when no response arrived. */
  status: number | null;
  errorClass?: string;
  durationMs: number;
}

/** One client request as the ledger recorded it, with every attempt it took. */
export interface SpendRequest {
  id: string;
  startedAt: number;
  source: SpendSource;
  client: string | null;
  route: string | null;
  /** The target that served the request, else the last one tried. */
  provider: string | null;
  model: string | null;
  /** The model the client asked for (a route name, a `provider/model` id), when recorded. */
  requestedModel?: string | null;
  /** interrupted: Switchboard stopped (a crash) while the request was in flight. */
  status: 'ok' | 'error' | 'cancelled' | 'interrupted';
  httpStatus: number;
  errorMessage?: string;
  attempts: SpendAttempt[];
  inputTokens: number;
  outputTokens: number;
  /** The token figures (and so the cost) are estimates: the upstream reported none. */
  usageEstimated?: boolean;
  costUsd: number | null;
  ttftMs: number | null;
  durationMs: number;
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

/** App-wide defaults for the chat screen (Settings), kept in the engine's settings. */
export interface ChatDefaults {
  /** A new chat starts with this route or `provider/model`; null: the first route. */
  model: string | null;
  /** A new chat's system prompt ('' = none). */
  systemPrompt: string;
  /** A new chat's temperature (0 to 2); null: the model's default. */
  temperature: number | null;
  /** The chat's text size in CSS pixels. */
  fontSize: number;
}

/** Where this engine keeps its data. */
export interface DataLocation {
  dataDir: string;
  settingsFile: string;
  ledgerFile: string;
}

/** A whole conversation written at once (a compare run): created, or replaced when `id` exists. */
export interface ConversationInput {
  id?: string;
  kind: 'chat' | 'compare';
  title: string;
  messages: Array<{ role: 'system' | 'user' | 'assistant'; content: string; images?: string[]; model?: string; requestId?: string }>;
}
