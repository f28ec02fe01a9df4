// Usage normalisation: each vendor's counting convention, and the traps between them.
import { describe, expect, it } from 'vitest';
import { costUsd } from '../catalog/pricing';
import {
  fromAnthropicUsage,
  fromGeminiUsage,
  fromOllamaUsage,
  fromOpenAIUsage,
  toAnthropicUsage,
  toOpenAIUsage,
  totalInputTokens,
} from './usage';

const price = { input: 1, output: 2, cacheRead: 0.5, cacheWrite: 1.25 };

describe('usage normalisation', () => {
  it('OpenAI: cached tokens are inside prompt_tokens, reasoning inside completion_tokens', () => {
    const u = fromOpenAIUsage({
      prompt_tokens: 140,
      completion_tokens: 20,
      prompt_tokens_details: { cached_tokens: 40 },
      completion_tokens_details: { reasoning_tokens: 5 },
    })!;
    expect(u).toEqual({ inputTokens: 100, outputTokens: 20, cacheReadTokens: 40, cacheWriteTokens: 0, reasoningTokens: 5 });
    expect(costUsd(u, price)).toBeCloseTo((100 * 1 + 20 * 2 + 40 * 0.5) / 1e6, 15);
  });

  it('DeepSeek: prompt_cache_hit_tokens count as cache reads', () => {
    expect(
      fromOpenAIUsage({ prompt_tokens: 50, completion_tokens: 3, prompt_cache_hit_tokens: 30, prompt_cache_miss_tokens: 20 }),
    ).toMatchObject({ inputTokens: 20, cacheReadTokens: 30 });
  });

  it('OpenRouter: a reported cost wins over the price table', () => {
    const u = fromOpenAIUsage({ prompt_tokens: 10, completion_tokens: 1, cost: 0.25 })!;
    expect(costUsd(u, price)).toBe(0.25);
    expect(costUsd(u, undefined)).toBe(0.25);
  });

  it('Anthropic: cache reads and writes are apart from input_tokens', () => {
    const u = fromAnthropicUsage({ input_tokens: 100, cache_creation_input_tokens: 10, cache_read_input_tokens: 40, output_tokens: 20 })!;
    expect(u).toEqual({ inputTokens: 100, outputTokens: 20, cacheReadTokens: 40, cacheWriteTokens: 10, reasoningTokens: 0 });
    expect(totalInputTokens(u)).toBe(150);
    expect(costUsd(u, price)).toBeCloseTo((100 * 1 + 20 * 2 + 40 * 0.5 + 10 * 1.25) / 1e6, 15);
    expect(toAnthropicUsage(u)).toEqual({
      input_tokens: 100,
      cache_creation_input_tokens: 10,
      cache_read_input_tokens: 40,
      output_tokens: 20,
    });
    // Translated to an OpenAI client, cache reads go back inside prompt_tokens.
    expect(toOpenAIUsage(u)).toMatchObject({ prompt_tokens: 150, completion_tokens: 20, prompt_tokens_details: { cached_tokens: 40 } });
  });

  it('Gemini: cached content inside the prompt, thoughts apart from candidates (and billed as output)', () => {
    const u = fromGeminiUsage({
      promptTokenCount: 140,
      cachedContentTokenCount: 40,
      candidatesTokenCount: 15,
      thoughtsTokenCount: 5,
      totalTokenCount: 160,
    })!;
    expect(u).toEqual({ inputTokens: 100, outputTokens: 20, cacheReadTokens: 40, cacheWriteTokens: 0, reasoningTokens: 5 });
    expect(toOpenAIUsage(u)).toMatchObject({ completion_tokens: 20, completion_tokens_details: { reasoning_tokens: 5 } });
  });

  it('Ollama: prompt_eval_count and eval_count', () => {
    expect(fromOllamaUsage({ prompt_eval_count: 26, eval_count: 298 })).toMatchObject({ inputTokens: 26, outputTokens: 298 });
    expect(fromOllamaUsage({ done: true })).toBeNull();
  });
});
