// The worst case a request may cost: its prompt in every dialect's shape (raised for other tokenizers
// and framing), its output limit from the request, the catalog or a conservative default, priced at
// the dearest rate over every target it may reach; an unpriced target makes it unknown.
import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { UNKNOWN_MAX_OUTPUT } from '../catalog/output-limits';
import {
  INPUT_MARGIN,
  inputBound,
  outputBound,
  promptParts,
  promptTokens,
  requestedMaxOutput,
  TOKENS_PER_IMAGE,
  TOKENS_PER_MESSAGE,
  TOKENS_PER_REQUEST,
  worstCase,
} from './estimate';

const target = (
  name: string,
  price: { input?: number; output?: number; cacheWrite?: number; cacheWrite1h?: number } | undefined,
  more: { kind?: string; maxOutput?: number; contextWindow?: number } = {},
) => ({ name, kind: more.kind ?? 'openai', price, ...more });

describe('request worst case', () => {
  it('reads the prompt of every dialect and the output limit of every dialect', () => {
    const anthropic = {
      system: [{ type: 'text', text: 'be brief' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hello world' }] }],
      max_tokens: 50,
    };
    expect(promptParts(anthropic)).toEqual({ text: 'be brief\nhello world', images: 0, messages: 1 });
    // Images count as a fixed, generous number of tokens, never as their base64 text.
    const image = {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${'A'.repeat(50_000)}` } },
          ],
        },
      ],
    };
    expect(promptParts(image)).toMatchObject({ text: 'what is this', images: 1 });
    expect(promptParts({ messages: [{ role: 'user', content: 'x', images: ['AAAA', 'BBBB'] }] }).images).toBe(2); // Ollama
    expect(promptParts({ input: 'hi', instructions: 'be kind' }).text).toBe('hi\nbe kind'); // Responses
    for (const [body, max] of [
      [{ max_completion_tokens: 7 }, 7],
      [{ max_tokens: 8 }, 8],
      [{ max_output_tokens: 9 }, 9],
      [{ options: { num_predict: 10 } }, 10],
      [{ generationConfig: { maxOutputTokens: 11 } }, 11],
      [{ options: { num_predict: -1 } }, undefined],
      [{}, undefined],
    ] as const) {
      expect(requestedMaxOutput(body as Record<string, unknown>)).toBe(max);
    }
  });

  it('raises the prompt for other tokenizers, message framing and images', () => {
    const body = {
      messages: [
        { role: 'system', content: 'be brief' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'hello world' },
            { type: 'image_url', image_url: { url: 'https://x/y.png' } },
          ],
        },
      ],
    };
    const text = countTokens('be brief\nhello world');
    expect(inputBound(body)).toBe(Math.ceil(text * INPUT_MARGIN) + 2 * TOKENS_PER_MESSAGE + TOKENS_PER_REQUEST + TOKENS_PER_IMAGE);
  });

  it('takes the output limit from the request, else the model, else a conservative default, capped by the window', () => {
    expect(outputBound({ max_tokens: 100 }, { kind: 'openai' })).toBe(100);
    expect(outputBound({}, { kind: 'openai', maxOutput: 16_384 })).toBe(16_384);
    expect(outputBound({ max_tokens: 1_000_000 }, { kind: 'openai', maxOutput: 16_384 })).toBe(16_384);
    expect(outputBound({}, { kind: 'openai' })).toBe(UNKNOWN_MAX_OUTPUT);
    expect(outputBound({}, { kind: 'openai', contextWindow: 8_192 })).toBe(8_192);
    // Translated to Anthropic with thinking asked for, max_tokens is raised above the thinking budget.
    expect(outputBound({ max_tokens: 100, reasoning_effort: 'high' }, { kind: 'anthropic' })).toBe(25_600);
    expect(outputBound({ max_tokens: 100, reasoning_effort: 'high' }, { kind: 'openai' })).toBe(100);
  });

  it('prices the dearest candidate, and is unknown when any candidate has no price', () => {
    const body = { messages: [{ role: 'user', content: 'hello world' }], max_tokens: 1000 };
    const input = inputBound(body);
    const cheap = target('a/cheap', { input: 1, output: 2 });
    const dear = target('b/dear', { input: 10, output: 40 });
    expect(worstCase(body, [cheap, dear])).toEqual({ tokens: input + 1000, usd: (input * 10 + 1000 * 40) / 1e6, unpriced: [] });
    expect(worstCase(body, [cheap, target('c/mystery', undefined), target('d/half', { input: 1 })])).toEqual({
      tokens: input + 1000,
      usd: null,
      unpriced: ['c/mystery', 'd/half'],
    });
    // Free (a keyless local server's $0 price) is a price: the worst case is $0, not unknown.
    expect(worstCase(body, [target('local/llama', { input: 0, output: 0 })]).usd).toBe(0);
    // Embeddings produce no output: input only, and an input-only price is enough.
    expect(worstCase({ input: 'hello world' }, [target('e/embed', { input: 0.02 })], { outputless: true })).toEqual({
      tokens: inputBound({ input: 'hello world' }),
      usd: (inputBound({ input: 'hello world' }) * 0.02) / 1e6,
      unpriced: [],
    });
  });

  it('prices input at the cache-write rate when the request asks for cache writes (the 1-hour rate for ttl 1h)', () => {
    const price = { input: 3, output: 15, cacheWrite: 3.75, cacheWrite1h: 6 };
    const body = (ttl?: string) => ({
      system: [{ type: 'text', text: 'long system prompt', cache_control: { type: 'ephemeral', ...(ttl ? { ttl } : {}) } }],
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 10,
    });
    const input = inputBound(body());
    expect(worstCase(body(), [target('anthropic/claude', price)]).usd).toBeCloseTo((input * 3.75 + 10 * 15) / 1e6, 12);
    expect(worstCase(body('1h'), [target('anthropic/claude', price)]).usd).toBeCloseTo((input * 6 + 10 * 15) / 1e6, 12);
    expect(worstCase({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 }, [target('anthropic/claude', price)]).usd).toBeCloseTo(
      (inputBound({ messages: [{ role: 'user', content: 'hi' }] }) * 3 + 10 * 15) / 1e6,
      12,
    );
  });

  it('extrapolates huge prompts from a sample, within a few percent', () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(5_000);
    const exact = countTokens(text);
    expect(Math.abs(promptTokens(text) - exact)).toBeLessThan(exact * 0.05);
  });
});
