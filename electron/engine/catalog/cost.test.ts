// Cost per provider family, from each vendor's raw usage block through normalisation and the
// bundled prices, against values computed by hand. Unknown prices stay unknown.
import { describe, expect, it } from 'vitest';
import { fromAnthropicUsage, fromGeminiUsage, fromOpenAIUsage, type Usage } from '../canonical/usage';
import { Catalog } from './catalog';
import { costUsd } from './pricing';

const catalog = new Catalog();
const provider = (id: string, kind: string, baseUrl?: string) => ({ id, kind: kind as 'openai', baseUrl, models: [] });
const priceOf = (p: ReturnType<typeof provider>, model: string) => catalog.lookup(p, model).price;

describe('cost per provider family (bundled snapshot prices)', () => {
  it('OpenAI-style: cached tokens inside prompt_tokens, reasoning inside completion_tokens (o3)', () => {
    // o3 in the snapshot: $2 input, $0.50 cached input, $8 output per million tokens.
    expect(priceOf(provider('openai', 'openai'), 'o3')).toEqual({ input: 2, output: 8, cacheRead: 0.5 });
    const usage = fromOpenAIUsage({
      prompt_tokens: 10_000,
      completion_tokens: 3_000,
      prompt_tokens_details: { cached_tokens: 4_000 },
      completion_tokens_details: { reasoning_tokens: 2_000 },
    })!;
    expect(usage).toEqual({ inputTokens: 6_000, outputTokens: 3_000, cacheReadTokens: 4_000, cacheWriteTokens: 0, reasoningTokens: 2_000 });
    // 6000 × 2 + 4000 × 0.5 + 3000 × 8 = 12000 + 2000 + 24000 = 38000 micro-dollars per million → $0.038
    expect(costUsd(usage, priceOf(provider('openai', 'openai'), 'o3'))).toBeCloseTo(0.038, 12);
  });

  it('Anthropic-style: cache writes and reads come apart from input_tokens (claude-opus-4-1)', () => {
    expect(priceOf(provider('anthropic', 'anthropic'), 'claude-opus-4-1')).toEqual({
      input: 15,
      output: 75,
      cacheRead: 1.5,
      cacheWrite: 18.75,
      cacheWrite1h: 30,
    });
    const usage = fromAnthropicUsage({
      input_tokens: 1_200,
      cache_creation_input_tokens: 5_000,
      cache_read_input_tokens: 20_000,
      output_tokens: 800,
    })!;
    expect(usage).toEqual({ inputTokens: 1_200, outputTokens: 800, cacheReadTokens: 20_000, cacheWriteTokens: 5_000, reasoningTokens: 0 });
    // 1200 × 15 + 5000 × 18.75 + 20000 × 1.5 + 800 × 75 = 18000 + 93750 + 30000 + 60000 = 201750 → $0.20175
    expect(costUsd(usage, priceOf(provider('anthropic', 'anthropic'), 'claude-opus-4-1'))).toBeCloseTo(0.20175, 12);
  });

  it('Anthropic 1-hour cache writes at 2x input, 5-minute ones at 1.25x (cache_creation splits them)', () => {
    const usage = fromAnthropicUsage({
      input_tokens: 1_000,
      output_tokens: 100,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 3_000,
      cache_creation: { ephemeral_5m_input_tokens: 1_000, ephemeral_1h_input_tokens: 2_000 },
    })!;
    expect(usage).toEqual({
      inputTokens: 1_000,
      outputTokens: 100,
      cacheReadTokens: 0,
      cacheWriteTokens: 3_000,
      cacheWrite1hTokens: 2_000,
      reasoningTokens: 0,
    });
    // 1000 × 15 + 1000 × 18.75 + 2000 × 30 + 100 × 75 = 15000 + 18750 + 60000 + 7500 = 101250 → $0.10125
    expect(costUsd(usage, priceOf(provider('anthropic', 'anthropic'), 'claude-opus-4-1'))).toBeCloseTo(0.10125, 12);
    // A price without a 1-hour rate cannot price those writes: unknown, not the 5-minute rate.
    expect(costUsd(usage, { input: 15, output: 75, cacheWrite: 18.75 })).toBeNull();
  });

  it('Gemini-style: thoughts billed as output on top of candidates, cached content inside the prompt (gemini-2.5-flash)', () => {
    expect(priceOf(provider('google', 'gemini'), 'gemini-2.5-flash')).toEqual({ input: 0.3, output: 2.5, cacheRead: 0.03 });
    const usage = fromGeminiUsage({
      promptTokenCount: 10_000,
      cachedContentTokenCount: 6_000,
      candidatesTokenCount: 500,
      thoughtsTokenCount: 1_500,
      totalTokenCount: 12_000,
    })!;
    expect(usage).toEqual({ inputTokens: 4_000, outputTokens: 2_000, cacheReadTokens: 6_000, cacheWriteTokens: 0, reasoningTokens: 1_500 });
    // 4000 × 0.3 + 6000 × 0.03 + 2000 × 2.5 = 1200 + 180 + 5000 = 6380 → $0.00638
    expect(costUsd(usage, priceOf(provider('google', 'gemini'), 'gemini-2.5-flash'))).toBeCloseTo(0.00638, 12);
  });

  it('prices reasoning apart where the price says so', () => {
    const usage: Usage = { inputTokens: 1_000, outputTokens: 3_000, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 2_000 };
    // 1000 × 1 + 1000 × 4 + 2000 × 10 = 25000 → $0.025
    expect(costUsd(usage, { input: 1, output: 4, reasoning: 10 })).toBeCloseTo(0.025, 12);
    expect(costUsd(usage, { input: 1, output: 4 })).toBeCloseTo(0.013, 12);
  });

  it('takes the cost OpenRouter reports, and finds OpenRouter prices by base URL', () => {
    const usage = fromOpenAIUsage({
      prompt_tokens: 100,
      completion_tokens: 50,
      cost: 0.000123,
      prompt_tokens_details: { cached_tokens: 20, cache_write_tokens: 30 },
    })!;
    expect(usage).toMatchObject({ inputTokens: 50, cacheReadTokens: 20, cacheWriteTokens: 30, reportedCostUsd: 0.000123 });
    expect(costUsd(usage, undefined)).toBe(0.000123);
    expect(priceOf(provider('or', 'openai-compatible', 'https://openrouter.ai/api/v1'), 'openai/gpt-4o')).toEqual({
      input: 2.5,
      output: 10,
    });
  });

  it('keeps an unknown price unknown: null, never $0', () => {
    const keyed = { ...provider('lmstudio', 'openai-compatible', 'http://127.0.0.1:1234/v1'), keys: [{ env: 'LMSTUDIO_KEY' }] };
    expect(catalog.lookup(keyed, 'my-finetune')).toEqual({ source: 'unknown' });
    expect(catalog.lookup(provider('vendor', 'openai-compatible', 'https://llm.example.com/v1'), 'my-finetune')).toEqual({
      source: 'unknown',
    });
    const usage: Usage = { inputTokens: 10, outputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
    expect(costUsd(usage, undefined)).toBeNull();
    // Nothing used costs nothing, priced or not (a refused attempt is $0, not unknown).
    expect(costUsd({ ...usage, inputTokens: 0, outputTokens: 0 }, undefined)).toBe(0);
    // An input-only price (embedding models) prices an input-only request.
    expect(costUsd({ ...usage, outputTokens: 0 }, { input: 0.02 })).toBeCloseTo(0.0000002, 15);
    expect(costUsd(usage, { input: 0.02 })).toBeNull();
    // A price that lacks the cache-write rate cannot price cache writes: the whole cost is unknown, not partial.
    expect(costUsd({ ...usage, cacheWriteTokens: 5 }, { input: 1, output: 2 })).toBeNull();
    expect(costUsd({ ...usage, cacheWriteTokens: 0 }, { input: 1, output: 2 })).toBeCloseTo(0.00003, 12);
  });

  it('prices keyless servers on this machine at $0 (Ollama, LM Studio), keyed or remote ones stay unknown', () => {
    expect(catalog.lookup(provider('ollama', 'ollama'), 'llama3.2')).toMatchObject({ price: { input: 0, output: 0 }, source: 'local' });
    expect(catalog.lookup(provider('lmstudio', 'openai-compatible'), 'qwen')).toMatchObject({ source: 'local' }); // the preset's 127.0.0.1 URL
    expect(catalog.lookup(provider('box', 'ollama', 'http://192.168.1.20:11434'), 'llama3.2')).toEqual({ source: 'unknown' });
    // (Lookups are memoised per provider id until settings change, so each case has its own id.)
    expect(catalog.lookup({ ...provider('ollama-cloud', 'ollama'), keys: [{ env: 'OLLAMA_API_KEY' }] }, 'llama3.2')).toEqual({
      source: 'unknown',
    });
    // A user's own price for a local model still wins.
    expect(
      catalog.lookup(
        { ...provider('ollama-priced', 'ollama'), models: [{ id: 'llama3.2', price: { input: 0.1, output: 0.1 } }] },
        'llama3.2',
      ),
    ).toMatchObject({ source: 'config' });
  });

  it('reads reasoning and 1-hour cache-write rates and output limits from the catalog', () => {
    expect(priceOf(provider('perplexity', 'openai-compatible', 'https://api.perplexity.ai'), 'sonar-deep-research')).toMatchObject({
      input: 2,
      output: 8,
      reasoning: 3,
    });
    expect(catalog.lookup(provider('openai', 'openai'), 'gpt-4o-mini')).toMatchObject({ maxOutput: 16_384 });
    expect(catalog.lookup(provider('openai', 'openai'), 'gpt-5')).toMatchObject({ maxOutput: 128_000, contextWindow: 400_000 });
    expect(catalog.lookup(provider('anthropic', 'anthropic'), 'claude-opus-4-1').maxOutput).toBeUndefined();
  });

  it('lets a user override win over config and bundled prices, and reports where a price came from', () => {
    const c = new Catalog();
    const p = { id: 'openai', kind: 'openai' as const, models: [{ id: 'gpt-4o-mini', price: { input: 9, output: 9 } }] };
    expect(c.lookup(p, 'gpt-4o-mini')).toMatchObject({ price: { input: 9, output: 9 }, source: 'config' });
    expect(new Catalog().lookup({ ...p, models: [] }, 'gpt-4o-mini')).toMatchObject({
      price: { input: 0.15, output: 0.6, cacheRead: 0.075 },
      source: 'bundled',
      contextWindow: 128_000,
    });
    c.update({ overrides: { 'openai/gpt-4o-mini': { input: 1, output: 2 } } });
    expect(c.lookup(p, 'gpt-4o-mini')).toMatchObject({ price: { input: 1, output: 2 }, source: 'override' });
  });
});
