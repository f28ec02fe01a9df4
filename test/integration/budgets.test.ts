// Budgets through the real port and the chat service: a hard budget refuses before any upstream call
// (the fake counts zero requests) with an error naming the budget; a soft one lets the request through
// and shows its warning through the contract; a model without a price is refused by a hard USD budget
// (402 naming it and how to price it, in the client's dialect) unless the budget allows unpriced requests.
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';

let fake: OpenAIFake;
let h: Harness;
let client: OpenAI;

beforeAll(async () => {
  fake = await startOpenAIFake({ reply: 'one two three four five', chunks: 5, apiKey: 'fake-key', models: ['m1', 'mystery'] });
  const config = {
    // An expensive model so a few tokens make round numbers: $1000 per million tokens = $0.001 per token.
    // `mystery` has no price anywhere (a keyed provider, not a local server).
    providers: [
      {
        id: 'acme',
        kind: 'openai-compatible',
        baseUrl: fake.url,
        keys: [{ env: 'ACME_KEY' }],
        models: [{ id: 'm1', price: { input: 1000, output: 1000 } }, { id: 'mystery' }],
      },
    ],
    routes: [
      { name: 'fast', targets: [{ provider: 'acme', model: 'm1' }] },
      // A priced target with an unpriced fallback: any attempt may land on the unpriced one.
      {
        name: 'mixed',
        targets: [
          { provider: 'acme', model: 'm1' },
          { provider: 'acme', model: 'mystery' },
        ],
      },
    ],
  };
  h = await startHarness(config, { ACME_KEY: 'fake-key' }, 'cursor');
  client = new OpenAI({ baseURL: `${h.baseUrl}/v1`, apiKey: h.token, maxRetries: 0 });
});

afterAll(async () => {
  await h?.close();
  await fake?.close();
});

beforeEach(async () => {
  await h.app.services.budgets.set([]);
  fake.requests.length = 0;
});

const ask = (maxTokens: number, stream = false) =>
  client.chat.completions.create({
    model: 'fast',
    messages: [{ role: 'user', content: 'hi there' }],
    max_tokens: maxTokens,
    stream: stream as false,
  });

describe('budgets', () => {
  it('refuses over a hard budget before anything is sent, in the OpenAI error shape, naming the budget', async () => {
    // Worst case: 10 prompt tokens at most (2 counted, raised for other tokenizers and framing) + 100 max output
    // = 110 tokens × $0.001 = $0.11 > $0.05.
    await h.app.services.budgets.set([{ name: 'daily-cap', period: 'daily', mode: 'hard', usd: 0.05 }]);
    const error = await ask(100).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const e = error as InstanceType<typeof OpenAI.APIError>;
    expect(e.status).toBe(402);
    expect(e.code).toBe('budget_exceeded');
    expect(e.message).toMatch(/hard budget "daily-cap" \(global, daily, \$0\.0500\) would be exceeded/);
    // Streaming requests are refused the same way, before the stream opens.
    await expect(ask(100, true)).rejects.toMatchObject({ status: 402 });
    // The chat screen's path is guarded by the same check.
    const events = [];
    for await (const event of h.app.services.chat.stream({
      model: 'fast',
      messages: [{ role: 'user', content: 'hi there' }],
      maxTokens: 100,
    }))
      events.push(event);
    // The chat keeps a refused first message in its conversation (announced first); nothing else happens.
    expect(events.filter((e) => e.type !== 'conversation')).toEqual([
      { type: 'error', message: expect.stringContaining('hard budget "daily-cap"') },
    ]);
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses over a hard budget on every dialect of the port, each in its own error shape', async () => {
    await h.app.services.budgets.set([{ name: 'daily-cap', period: 'daily', mode: 'hard', usd: 0.05 }]);
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${h.baseUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const messages = [{ role: 'user', content: 'hi there' }];
    const anthropic = await post('/v1/messages', { model: 'fast', max_tokens: 100, messages }, { 'anthropic-version': '2023-06-01' });
    expect(anthropic.status).toBe(402);
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { message: expect.stringContaining('daily-cap') } });
    const ollama = await post('/api/chat', { model: 'fast', messages, options: { num_predict: 100 } });
    expect(ollama.status).toBe(402);
    expect(await ollama.json()).toMatchObject({ error: expect.stringContaining('daily-cap') });
    const responses = await post('/v1/responses', { model: 'fast', input: 'hi there', max_output_tokens: 100 });
    expect(responses.status).toBe(402);
    expect(await responses.json()).toMatchObject({ error: { code: 'budget_exceeded' } });
    expect(fake.requests).toHaveLength(0);
  });

  it("enforces a client token's own budget as a hard monthly budget for that client", async () => {
    const { token } = await h.app.services.tokens.create({ name: 'capped-tool', budgetUsd: 0.05 });
    const capped = new OpenAI({ baseURL: `${h.baseUrl}/v1`, apiKey: token, maxRetries: 0 });
    const error = await capped.chat.completions
      .create({ model: 'fast', messages: [{ role: 'user', content: 'hi there' }], max_tokens: 100 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 402, code: 'budget_exceeded' });
    expect((error as Error).message).toContain('token-capped-tool');
    expect(fake.requests).toHaveLength(0);
    // Other clients are not held to it.
    await expect(ask(10)).resolves.toBeDefined();
    await h.app.services.tokens.revoke('capped-tool');
  });

  it('lets requests through until what was spent plus the worst case reaches a hard budget', async () => {
    // Each call: worst case 10 + 10 = 20 tokens ($0.020); the fake bills 5 prompt + 5 output = $0.010.
    const before = await spentToday();
    await h.app.services.budgets.set([{ name: 'cursor-day', client: 'cursor', period: 'daily', mode: 'hard', usd: 0.025 + before }]);
    await ask(10);
    expect(fake.requests).toHaveLength(1);
    // $0.010 spent + $0.020 at worst > $0.025: refused, and the fake still saw only the first.
    await expect(ask(10)).rejects.toMatchObject({ status: 402, message: expect.stringMatching(/"cursor-day" \(client cursor, daily/) });
    expect(fake.requests).toHaveLength(1);
    const [status] = await h.app.services.budgets.status();
    expect(status).toMatchObject({ name: 'cursor-day', client: 'cursor', mode: 'hard', state: 'ok' });
    expect(status!.knownSpentUsd - before).toBeCloseTo(0.01, 9);
    // Nothing is held once the request has ended.
    expect(status).toMatchObject({ reservedUsd: 0, reservedTokens: 0 });
  });

  it('ignores a budget of another client, and refuses on a token budget', async () => {
    await h.app.services.budgets.set([
      { name: 'aider-only', client: 'aider', period: 'monthly', mode: 'hard', tokens: 1 },
      { name: 'global-tokens', period: 'monthly', mode: 'hard', tokens: 1_000_000_000 },
    ]);
    await ask(10);
    expect(fake.requests).toHaveLength(1);
    await h.app.services.budgets.set([{ name: 'tiny-month', period: 'monthly', mode: 'hard', tokens: 50 }]);
    await expect(ask(100)).rejects.toMatchObject({ status: 402, message: expect.stringContaining('"tiny-month"') });
    expect(fake.requests).toHaveLength(1);
  });

  it('warns on a soft budget without refusing, visible through the contract', async () => {
    await h.app.services.budgets.set([{ name: 'heads-up', period: 'monthly', mode: 'soft', usd: 0.001 }]);
    const reply = await ask(10);
    expect(reply.choices[0]?.message.content).toBe('one two three four five');
    expect(fake.requests).toHaveLength(1);
    const warnings = await h.app.services.budgets.warnings();
    expect(warnings[0]).toMatchObject({
      budget: 'heads-up',
      client: 'cursor',
      message: expect.stringContaining('soft budget "heads-up" (global, monthly, $0.0010) reached'),
    });
    const [status] = await h.app.services.budgets.status();
    expect(status).toMatchObject({ name: 'heads-up', state: 'over', mode: 'soft' });
    expect(status!.knownSpentUsd).toBeGreaterThan(0.001);
    // The tool hears about it too: a header on the (still successful) response, streaming or not.
    const { response } = await ask(10).withResponse();
    expect(response.headers.get('x-switchboard-budget-warning')).toMatch(
      /^soft budget "heads-up" \(global, monthly, \$0\.0010\) reached: \$0\.\d+ spent/,
    );
    const streamed = await client.chat.completions
      .create({ model: 'fast', messages: [{ role: 'user', content: 'hi there' }], max_tokens: 10, stream: true })
      .withResponse();
    expect(streamed.response.headers.get('x-switchboard-budget-warning')).toContain('"heads-up"');
    for await (const _ of streamed.data) {
      /* drain */
    }
    const anthropic = await fetch(`${h.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': h.token, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fast', max_tokens: 10, messages: [{ role: 'user', content: 'hi there' }] }),
    });
    expect(anthropic.status).toBe(200);
    expect(anthropic.headers.get('x-switchboard-budget-warning')).toContain('"heads-up"');
    // Under budget, no header.
    await h.app.services.budgets.set([{ name: 'roomy', period: 'monthly', mode: 'soft', usd: 1000 }]);
    const calm = await ask(10).withResponse();
    expect(calm.response.headers.get('x-switchboard-budget-warning')).toBeNull();
  });

  it('refuses a model without a price under a hard USD budget, in each dialect, naming it and how to price it', async () => {
    await h.app.services.budgets.set([{ name: 'usd-cap', period: 'daily', mode: 'hard', usd: 100 }]);
    const error = await client.chat.completions
      .create({ model: 'acme/mystery', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ status: 402, code: 'budget_price_unknown' });
    const message = (error as Error).message;
    expect(message).toContain('cannot count the cost of acme/mystery: no price is known for it');
    expect(message).toMatch(/"price": \{ "input": 1, "output": 2 \}/);
    expect(message).toContain('"allowUnpriced": true');
    // A route that may fail over to it is refused too: the worst case covers every candidate.
    await expect(
      ask(5).then(() => client.chat.completions.create({ model: 'mixed', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 })),
    ).rejects.toMatchObject({ status: 402, code: 'budget_price_unknown' });
    const post = (path: string, body: unknown, headers: Record<string, string>) =>
      fetch(`${h.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const anthropic = await post(
      '/v1/messages',
      { model: 'acme/mystery', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] },
      { 'x-api-key': h.token, 'anthropic-version': '2023-06-01' },
    );
    expect(anthropic.status).toBe(402);
    expect(await anthropic.json()).toMatchObject({
      type: 'error',
      error: { type: expect.any(String), message: expect.stringContaining('acme/mystery') },
    });
    const ollama = await post(
      '/api/chat',
      { model: 'acme/mystery', messages: [{ role: 'user', content: 'hi' }], stream: false },
      { authorization: `Bearer ${h.token}` },
    );
    expect(ollama.status).toBe(402);
    expect(await ollama.json()).toMatchObject({ error: expect.stringContaining('acme/mystery') });
    const gemini = await post(
      '/v1beta/models/acme%2Fmystery:generateContent',
      { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
      { 'x-goog-api-key': h.token },
    );
    expect(gemini.status).toBe(402);
    expect(await gemini.json()).toMatchObject({ error: { code: 402, message: expect.stringContaining('acme/mystery') } });
    // Only the priced `ask` reached the fake.
    expect(fake.requests).toHaveLength(1);
    // The chat screen's path is refused the same way.
    const events = [];
    for await (const event of h.app.services.chat.stream({ model: 'acme/mystery', messages: [{ role: 'user', content: 'hi' }] }))
      events.push(event);
    // The chat keeps a refused first message in its conversation (announced first); nothing else happens.
    expect(events.filter((e) => e.type !== 'conversation')).toEqual([{ type: 'error', message: expect.stringContaining('acme/mystery') }]);
  });

  it('lets a model without a price through a hard budget that allows it, its cost shown as unknown', async () => {
    await h.app.services.budgets.set([
      { name: 'usd-cap', period: 'daily', mode: 'hard', usd: 100, allowUnpriced: true },
      // A token-only budget can count an unpriced request's tokens: it never refuses it for its price.
      { name: 'token-cap', period: 'daily', mode: 'hard', tokens: 10_000_000 },
    ]);
    const reply = await client.chat.completions.create({
      model: 'acme/mystery',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 5,
    });
    expect(reply.choices[0]?.message.content).toBe('one two three four five');
    expect(fake.requests).toHaveLength(1);
    const [usd] = await h.app.services.budgets.status();
    expect(usd).toMatchObject({
      name: 'usd-cap',
      allowUnpriced: true,
      spentUsd: null,
      unknownCostRequests: expect.any(Number),
      reservedUsd: 0,
    });
    expect(usd!.unknownCostRequests).toBeGreaterThan(0);
    expect(usd!.message).toMatch(/of unknown cost/);
    expect(await h.app.services.budgets.list()).toEqual([
      expect.objectContaining({ name: 'usd-cap', allowUnpriced: true }),
      expect.objectContaining({ name: 'token-cap' }),
    ]);
  });

  it('refuses an invalid budget list and keeps the previous one', async () => {
    await h.app.services.budgets.set([{ name: 'ok', period: 'daily', mode: 'soft', usd: 1 }]);
    await expect(h.app.services.budgets.set([{ name: 'no-limit', period: 'daily', mode: 'hard' }])).rejects.toThrow(
      /a budget needs a limit/,
    );
    await expect(h.app.services.budgets.list()).resolves.toEqual([{ name: 'ok', period: 'daily', mode: 'soft', usd: 1 }]);
  });
});

async function spentToday(): Promise<number> {
  const today = new Date().toISOString().slice(0, 10);
  return (await h.app.services.spend.summary({ since: today, client: 'cursor' })).knownCostUsd;
}
