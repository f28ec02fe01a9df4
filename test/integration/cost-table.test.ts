// What the ledger records as each request's cost, per provider family, through the real port against
// fakes that report usage in each vendor's own wire format, equals a hand computation written here:
// OpenAI (cached input, reasoning), Anthropic (cache reads, 5-minute and 1-hour cache writes), Gemini
// (thinking, cached content), OpenRouter's own reported cost, keyless local servers at $0 by their
// own price, and an unpriced model recorded as unknown, never $0.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpendRequest } from '../../shared/types';
import { startAnthropicFake, type AnthropicFake } from '../fakes/anthropic-fake';
import { startGeminiFake, type GeminiFake } from '../fakes/gemini-fake';
import { startOllamaFake, type OllamaFake } from '../fakes/ollama-fake';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';

let openai: OpenAIFake;
let openrouter: OpenAIFake;
let local: OpenAIFake;
let anthropic: AnthropicFake;
let gemini: GeminiFake;
let ollama: OllamaFake;
let h: Harness;
let sdk: OpenAI;

// OpenAI counts cached tokens inside prompt_tokens and reasoning inside completion_tokens.
const OPENAI_USAGE = {
  prompt_tokens: 10_000,
  completion_tokens: 3_000,
  total_tokens: 13_000,
  prompt_tokens_details: { cached_tokens: 4_000 },
  completion_tokens_details: { reasoning_tokens: 2_000 },
};

beforeAll(async () => {
  [openai, openrouter, local, anthropic, gemini, ollama] = await Promise.all([
    startOpenAIFake({ scenario: true, apiKey: 'k', models: ['o3'], usageExtra: OPENAI_USAGE }),
    startOpenAIFake({
      scenario: true,
      apiKey: 'k',
      models: ['anthropic/claude-sonnet-4.5'],
      usageExtra: { prompt_tokens: 1_000, completion_tokens: 100, total_tokens: 1_100, cost: 0.004321 },
    }),
    startOpenAIFake({ scenario: true, models: ['qwen3-8b', 'my-finetune'] }),
    startAnthropicFake({
      apiKey: 'k',
      models: ['claude-opus-4-1'],
      usage: { input: 1_200, output: 800, cacheRead: 20_000, cacheWrite: 5_000, cacheWrite1h: 2_000 },
    }),
    startGeminiFake({
      apiKey: 'k',
      models: ['gemini-2.5-flash'],
      usage: { prompt: 10_000, cached: 6_000, candidates: 500, thoughts: 1_500 },
    }),
    startOllamaFake({ models: ['llama3.2'], promptEval: 300, evalCount: 40 }),
  ]);
  const key = [{ env: 'K' }];
  h = await startHarness(
    {
      providers: [
        // Prices from the bundled snapshot (kind openai, anthropic and gemini find their vendor's list).
        { id: 'openai', kind: 'openai', baseUrl: openai.url, keys: key },
        { id: 'anthropic', kind: 'anthropic', baseUrl: anthropic.url, keys: key },
        { id: 'google', kind: 'gemini', baseUrl: gemini.url, keys: key },
        // Its own price says $1000 per million: the cost OpenRouter reports wins, since that is what it billed.
        {
          id: 'openrouter',
          kind: 'openai-compatible',
          baseUrl: openrouter.url,
          keys: key,
          models: [{ id: 'anthropic/claude-sonnet-4.5', price: { input: 1000, output: 1000 } }],
        },
        // Keyless servers on this machine: $0 by their own price.
        { id: 'ollama', kind: 'ollama', baseUrl: ollama.url },
        { id: 'lmstudio', kind: 'openai-compatible', baseUrl: local.url },
        // The same local server behind a key and no price: nothing says what it costs.
        { id: 'gateway', kind: 'openai-compatible', baseUrl: local.url, keys: key },
      ],
    },
    { K: 'k' },
    'cost-table',
  );
  sdk = new OpenAI({ baseURL: `${h.baseUrl}/v1`, apiKey: h.token, maxRetries: 0 });
});

afterAll(async () => {
  await h?.close();
  await Promise.all([openai, openrouter, local, anthropic, gemini, ollama].map((f) => f?.close()));
});

const ask = (model: string, stream = false) =>
  sdk.chat.completions.create({ model, messages: [{ role: 'user', content: 'what does it cost' }], stream: stream as false });

/** The ledger's row for the last request to `model` (provider/model), as the spend drill-down returns it. */
async function lastRow(model: string): Promise<SpendRequest> {
  const [provider, ...rest] = model.split('/');
  const rows = await h.app.services.spend.requests({ provider, model: rest.join('/'), limit: 1 });
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

async function costOf(model: string, stream: boolean): Promise<number | null> {
  const reply = await ask(model, stream);
  if (stream)
    for await (const _ of reply as unknown as AsyncIterable<unknown>) {
      /* read to the end */
    }
  return (await lastRow(model)).costUsd;
}

describe('recorded cost per provider family equals the hand computation', () => {
  it('OpenAI: uncached input, cached input and output (reasoning inside it) at o3 prices', async () => {
    // o3: $2 input, $0.50 cached input, $8 output per million. 6,000 uncached + 4,000 cached in, 3,000 out (2,000 reasoning).
    // 6000 × 2 + 4000 × 0.5 + 3000 × 8 = 12,000 + 2,000 + 24,000 = 38,000 per million → $0.038
    for (const stream of [false, true]) expect(await costOf('openai/o3', stream)).toBe(0.038);
    expect(await lastRow('openai/o3')).toMatchObject({ inputTokens: 10_000, outputTokens: 3_000 });
  });

  it('Anthropic: cache reads, 5-minute writes at 1.25x and 1-hour writes at 2x input, through its own dialect and translated', async () => {
    // claude-opus-4-1: $15 input, $1.50 cache read, $18.75 5-minute write, $30 1-hour write, $75 output per million.
    // 1200 × 15 + 3000 × 18.75 + 2000 × 30 + 20000 × 1.5 + 800 × 75
    //   = 18,000 + 56,250 + 60,000 + 30,000 + 60,000 = 224,250 per million → $0.22425
    const expected = 0.22425;
    for (const stream of [false, true]) expect(await costOf('anthropic/claude-opus-4-1', stream)).toBe(expected);
    for (const stream of [false, true]) {
      const res = await fetch(`${h.baseUrl}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': h.token, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'anthropic/claude-opus-4-1',
          max_tokens: 1000,
          stream,
          messages: [{ role: 'user', content: 'what does it cost' }],
        }),
      });
      expect(res.status).toBe(200);
      await res.text();
      expect((await lastRow('anthropic/claude-opus-4-1')).costUsd).toBe(expected);
    }
    expect(await lastRow('anthropic/claude-opus-4-1')).toMatchObject({ inputTokens: 1_200 + 20_000 + 5_000, outputTokens: 800 });
  });

  it('Gemini: thinking billed as output, cached content at its cache rate', async () => {
    // gemini-2.5-flash: $0.30 input, $0.03 cached, $2.50 output per million. 10,000 prompt of which 6,000 cached;
    // 500 candidates + 1,500 thoughts out. 4000 × 0.3 + 6000 × 0.03 + 2000 × 2.5 = 1,200 + 180 + 5,000 = 6,380 → $0.00638
    for (const stream of [false, true]) expect(await costOf('google/gemini-2.5-flash', stream)).toBe(0.00638);
    expect(await lastRow('google/gemini-2.5-flash')).toMatchObject({ inputTokens: 10_000, outputTokens: 2_000 });
  });

  it('OpenRouter: the cost it reports is what was billed, over any price of ours', async () => {
    // Our config price would say (1000 + 100) × $1000 per million = $1.10; OpenRouter billed $0.004321.
    for (const stream of [false, true]) expect(await costOf('openrouter/anthropic/claude-sonnet-4.5', stream)).toBe(0.004321);
  });

  it('keyless local servers cost $0 by their own price: a known $0, not unknown', async () => {
    expect(await costOf('ollama/llama3.2', false)).toBe(0);
    expect(await lastRow('ollama/llama3.2')).toMatchObject({ inputTokens: 300, outputTokens: 40 });
    expect(await costOf('lmstudio/qwen3-8b', true)).toBe(0);
    const spend = await h.app.services.spend.summary({ by: 'provider' });
    expect(spend.groups.find((g) => g.key === 'ollama')).toMatchObject({ costUsd: 0, knownCostUsd: 0, unknownCostRequests: 0 });
  });

  it('an unpriced model is recorded as unknown, and makes every total it is part of unknown', async () => {
    expect(await costOf('gateway/my-finetune', false)).toBeNull();
    const byModel = await h.app.services.spend.summary({ by: 'model' });
    expect(byModel.groups.find((g) => g.key === 'gateway/my-finetune')).toMatchObject({
      requests: 1,
      costUsd: null,
      knownCostUsd: 0,
      unknownCostRequests: 1,
    });
    // The total holds priced requests too: it is unknown, with their sum beside it.
    expect(byModel.costUsd).toBeNull();
    expect(byModel.unknownCostRequests).toBe(1);
    expect(byModel.knownCostUsd).toBeCloseTo(2 * 0.038 + 4 * 0.22425 + 2 * 0.00638 + 2 * 0.004321, 6);
  });
});
