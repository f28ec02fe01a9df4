// Token usage normalised once, for every provider: the one place that knows how each vendor counts.
// Canonical meaning: inputTokens are uncached input tokens; cache reads/writes are counted apart;
// outputTokens include reasoning tokens (reasoningTokens is the part of them spent thinking).

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** The part of cacheWriteTokens written for 1 hour (Anthropic `ttl: "1h"`), priced higher than 5-minute writes. */
  cacheWrite1hTokens?: number;
  /** USD the upstream itself reported for the request (OpenRouter's usage.cost); preferred over our prices. */
  reportedCostUsd?: number;
}

export const emptyUsage = (): Usage => ({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);

/**
 * OpenAI (and OpenAI-compatible) usage: cached tokens are counted inside prompt_tokens and
 * reasoning tokens inside completion_tokens, so cached tokens are subtracted from the input here.
 */
export function fromOpenAIUsage(raw: unknown): Usage | null {
  if (!raw || typeof raw !== 'object') return null;
  const u = raw as Record<string, any>;
  const prompt = num(u.prompt_tokens);
  // DeepSeek reports its cache hits as prompt_cache_hit_tokens (also inside prompt_tokens).
  const cached = Math.min(prompt, num(u.prompt_tokens_details?.cached_tokens) || num(u.prompt_cache_hit_tokens));
  const usage: Usage = {
    inputTokens: prompt - cached,
    outputTokens: num(u.completion_tokens),
    cacheReadTokens: cached,
    // OpenRouter reports Anthropic-style cache writes here; OpenAI itself never does (so 0).
    cacheWriteTokens: num(u.prompt_tokens_details?.cache_write_tokens),
    reasoningTokens: num(u.completion_tokens_details?.reasoning_tokens),
  };
  usage.inputTokens = Math.max(0, usage.inputTokens - usage.cacheWriteTokens);
  // OpenRouter adds `cost` (USD, credits) to usage; 0 is a real answer there (free models).
  if (typeof u.cost === 'number' && Number.isFinite(u.cost) && u.cost >= 0) usage.reportedCostUsd = u.cost;
  return usage;
}

/**
 * Anthropic Messages usage: input_tokens excludes cache reads and writes, which come apart
 * (cache_read_input_tokens, cache_creation_input_tokens); output_tokens includes any thinking.
 */
export function fromAnthropicUsage(raw: unknown): Usage | null {
  if (!raw || typeof raw !== 'object') return null;
  const u = raw as Record<string, any>;
  const usage: Usage = {
    inputTokens: num(u.input_tokens),
    outputTokens: num(u.output_tokens),
    cacheReadTokens: num(u.cache_read_input_tokens),
    cacheWriteTokens: num(u.cache_creation_input_tokens),
    reasoningTokens: 0,
  };
  // `cache_creation` splits the writes by lifetime; 1-hour writes cost 2x input against 1.25x for 5 minutes.
  const oneHour = Math.min(usage.cacheWriteTokens, num(u.cache_creation?.ephemeral_1h_input_tokens));
  if (oneHour > 0) usage.cacheWrite1hTokens = oneHour;
  return usage;
}

/**
 * Gemini usageMetadata: promptTokenCount includes cachedContentTokenCount; thoughtsTokenCount is
 * billed as output but NOT included in candidatesTokenCount, so it is added to the output here.
 */
export function fromGeminiUsage(raw: unknown): Usage | null {
  if (!raw || typeof raw !== 'object') return null;
  const u = raw as Record<string, any>;
  // Tool-use prompt tokens (from Gemini's own tools) are billed as input but counted apart.
  const prompt = num(u.promptTokenCount) + num(u.toolUsePromptTokenCount);
  const cached = Math.min(prompt, num(u.cachedContentTokenCount));
  const thoughts = num(u.thoughtsTokenCount);
  return {
    inputTokens: prompt - cached,
    outputTokens: num(u.candidatesTokenCount) + thoughts,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    reasoningTokens: thoughts,
  };
}

/** Every input token, cached or not: what a user reads as "tokens in". */
export const totalInputTokens = (u: Usage): number => u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens;

/** Ollama's final chunk: prompt_eval_count and eval_count (no caching or reasoning split reported). */
export function fromOllamaUsage(raw: Record<string, unknown>): Usage | null {
  if (raw.prompt_eval_count === undefined && raw.eval_count === undefined) return null;
  return {
    inputTokens: num(raw.prompt_eval_count),
    outputTokens: num(raw.eval_count),
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
  };
}

/**
 * Canonical usage in OpenAI's shape: cache reads (and writes) counted inside prompt_tokens again;
 * cache writes also named apart the way OpenRouter does, so the split survives for those who read it.
 */
export function toOpenAIUsage(u: Usage): Record<string, unknown> {
  const prompt = totalInputTokens(u);
  return {
    prompt_tokens: prompt,
    completion_tokens: u.outputTokens,
    total_tokens: prompt + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cacheReadTokens, ...(u.cacheWriteTokens ? { cache_write_tokens: u.cacheWriteTokens } : {}) },
    completion_tokens_details: { reasoning_tokens: u.reasoningTokens },
  };
}

/** Canonical usage in Anthropic's shape: cache reads and writes apart from input_tokens. */
export function toAnthropicUsage(u: Usage): Record<string, number> {
  return {
    input_tokens: u.inputTokens,
    cache_creation_input_tokens: u.cacheWriteTokens,
    cache_read_input_tokens: u.cacheReadTokens,
    output_tokens: u.outputTokens,
  };
}

/**
 * Canonical usage in Gemini's usageMetadata shape: cached tokens inside promptTokenCount, thinking
 * counted apart from candidatesTokenCount (the inverse of fromGeminiUsage; Gemini has no cache writes).
 */
export function toGeminiUsage(u: Usage): Record<string, number> {
  const prompt = totalInputTokens(u);
  const thoughts = Math.min(u.reasoningTokens, u.outputTokens);
  const out: Record<string, number> = {
    promptTokenCount: prompt,
    candidatesTokenCount: u.outputTokens - thoughts,
    totalTokenCount: prompt + u.outputTokens,
  };
  if (u.cacheReadTokens) out.cachedContentTokenCount = u.cacheReadTokens;
  if (thoughts) out.thoughtsTokenCount = thoughts;
  return out;
}
