// What the ledger holds after real requests: port rows with cache-read tokens and a cost from the
// bundled catalog, unknown-price rows recorded as unknown, and chat conversations saved and continued.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatStreamEvent } from '../../shared/types';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';

let fake: OpenAIFake;
let h: Harness;

beforeAll(async () => {
  // The fake reports 4 cached prompt tokens (inside prompt_tokens, as OpenAI does).
  fake = await startOpenAIFake({ reply: 'Cached answer.', chunks: 2, apiKey: 'k', models: ['gpt-4o-mini', 'my-local'], cachedTokens: 4 });
  h = await startHarness(
    {
      providers: [
        // kind openai with a base URL: priced from the bundled snapshot (gpt-4o-mini: $0.15 / $0.075 cached / $0.60).
        { id: 'openai', kind: 'openai', baseUrl: fake.url, keys: [{ env: 'K' }] },
        { id: 'local', kind: 'openai-compatible', baseUrl: fake.url, keys: [{ env: 'K' }] },
      ],
    },
    { K: 'k' },
    'rows-client',
  );
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

describe('ledger rows from real requests', () => {
  it('records cache-read tokens and a catalog cost for the port, and unknown for an unpriced model', async () => {
    const sdk = new OpenAI({ baseURL: `${h.baseUrl}/v1`, apiKey: h.token, maxRetries: 0 });
    // Prompt: 4 words + 3 per message = 7 tokens, 4 of them cached; output: 2 chunks = 2 tokens.
    await sdk.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'one two three four' }] });
    await sdk.chat.completions.create({ model: 'local/my-local', messages: [{ role: 'user', content: 'one two three four' }] });
    const spend = await h.app.services.spend.summary({ by: 'model' });
    const priced = spend.groups.find((g) => g.key === 'openai/gpt-4o-mini')!;
    expect(priced).toMatchObject({ requests: 1, inputTokens: 7, cacheReadTokens: 4, outputTokens: 2, unknownCostRequests: 0 });
    // 3 × 0.15 + 4 × 0.075 + 2 × 0.60 = 0.45 + 0.30 + 1.20 = 1.95 per million → $0.00000195, which
    // totals show rounded to 6 decimals (the one rounding rule, shared/format.ts).
    expect(priced.costUsd).toBe(0.000002);
    const unpriced = spend.groups.find((g) => g.key === 'local/my-local')!;
    expect(unpriced).toMatchObject({ requests: 1, costUsd: null, knownCostUsd: 0, unknownCostRequests: 1 });

    // A user override gives the unpriced model a price for later requests (not retroactively).
    const info = await h.app.services.catalog.setOverride('local/my-local', { input: 1000, output: 1000 });
    expect(info.overrides).toEqual({ 'local/my-local': { input: 1000, output: 1000 } });
    expect(info).toMatchObject({ source: '@pydantic/genai-prices@0.1.8', date: '2026-09-23' });
    await sdk.chat.completions.create({ model: 'local/my-local', messages: [{ role: 'user', content: 'one two three four' }] });
    const after = (await h.app.services.spend.summary({ by: 'model' })).groups.find((g) => g.key === 'local/my-local')!;
    // (3 uncached + 2 output) × $0.001 = $0.005; the 4 cached tokens have no cache price → the cost is unknown.
    expect(after).toMatchObject({ requests: 2, unknownCostRequests: 2 });
    await h.app.services.catalog.setOverride('local/my-local', { input: 1000, output: 1000, cacheRead: 100 });
    await sdk.chat.completions.create({ model: 'local/my-local', messages: [{ role: 'user', content: 'one two three four' }] });
    const priced2 = (await h.app.services.spend.summary({ by: 'model' })).groups.find((g) => g.key === 'local/my-local')!;
    // 3 × 1000 + 4 × 100 + 2 × 1000 = 5400 per million → $0.0054
    // Two earlier requests are still unknown: the group's cost is unknown, its priced part $0.0054.
    expect(priced2).toMatchObject({ requests: 3, unknownCostRequests: 2, costUsd: null });
    expect(priced2.knownCostUsd).toBeCloseTo(0.0054, 12);
    await expect(h.app.services.catalog.setOverride('no-slash', { input: 1 })).rejects.toThrow(/invalid price overrides/);
  });

  it('saves a chat as a conversation and continues it', async () => {
    const events: ChatStreamEvent[] = [];
    for await (const e of h.app.services.chat.stream({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'First question' }],
    }))
      events.push(e);
    const done = events.at(-1) as Extract<ChatStreamEvent, { type: 'done' }>;
    expect(done.type).toBe('done');
    expect(done.conversationId).toBeTruthy();
    const next: ChatStreamEvent[] = [];
    const messages = [
      { role: 'user' as const, content: 'First question' },
      { role: 'assistant' as const, content: 'Cached answer.' },
      { role: 'user' as const, content: 'Second' },
    ];
    for await (const e of h.app.services.chat.stream({ model: 'openai/gpt-4o-mini', messages, conversationId: done.conversationId }))
      next.push(e);
    expect((next.at(-1) as { conversationId?: string }).conversationId).toBe(done.conversationId);
    const conv = await h.app.services.conversations.get(done.conversationId!);
    expect(conv!.title).toBe('First question');
    expect(conv!.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'First question'],
      ['assistant', 'Cached answer.'],
      ['user', 'Second'],
      ['assistant', 'Cached answer.'],
    ]);
    expect(conv!.messages[1]!.model).toBe('openai/gpt-4o-mini');
    expect((await h.app.services.spend.summary({ source: 'chat' })).requests).toBe(2);
  });
});
