// Data types that cross the boundary between the engine (main process / serve) and the renderer.
// Plain data only: nothing here may hold a key or a token in the clear.

export type ProviderKind = 'openai' | 'openai-compatible' | 'anthropic' | 'gemini' | 'ollama' | 'azure-openai';

/** USD per million tokens. Missing fields mean "unknown", never zero. */
export interface Price {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export interface ModelInfo {
  id: string;
  contextWindow?: number;
  price?: Price;
}

/** A key as the renderer may see it: where it lives and a masked form (`sk-…abcd`), never the key. */
export interface KeyInfo {
  label: string;
  source: 'env' | 'keychain';
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
}

export interface RouteInfo {
  name: string;
  strategy: RouteStrategy;
  targets: RouteTarget[];
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

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
}

export interface ChatUsage {
  inputTokens: number;
  outputTokens: number;
}

export type ChatStreamEvent =
  | { type: 'delta'; text: string }
  | {
      type: 'done';
      provider: string;
      model: string;
      usage: ChatUsage;
      costUsd: number | null;
      ttftMs: number | null;
      attempts: number;
    }
  | { type: 'error'; message: string };

export type SpendGroupBy = 'day' | 'model' | 'provider' | 'client';

export interface SpendQuery {
  /** A duration back from now (`7d`, `24h`, `30m`) or an ISO date. Absent: everything. */
  since?: string;
  by?: SpendGroupBy;
}

export interface SpendTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface SpendGroup extends SpendTotals {
  key: string;
}

export interface SpendSummary extends SpendTotals {
  groups: SpendGroup[];
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
  state: 'cooling-down' | 'retired';
  since: number | null;
  until: number | null;
  status: number | null;
  reason: string;
}

export interface HealthSnapshot {
  at: number;
  targets: TargetHealthInfo[];
  keys: KeyHealthInfo[];
}
