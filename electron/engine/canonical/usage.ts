// Token usage normalised once, for every provider: the one place that knows how each vendor counts.
// Canonical meaning: inputTokens are uncached input tokens; cache reads/writes are counted apart;
// outputTokens include reasoning tokens (reasoningTokens is the part of them spent thinking).

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
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
  const cached = Math.min(prompt, num(u.prompt_tokens_details?.cached_tokens));
  return {
    inputTokens: prompt - cached,
    outputTokens: num(u.completion_tokens),
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    reasoningTokens: num(u.completion_tokens_details?.reasoning_tokens),
  };
}

/** Every input token, cached or not: what a user reads as "tokens in". */
export const totalInputTokens = (u: Usage): number => u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens;
