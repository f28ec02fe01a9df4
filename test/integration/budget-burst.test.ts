// A burst of parallel requests never spends past a hard budget: each request holds its worst case from
// admission until its row is recorded (success, refusal, failure or cancel), so requests in flight
// count against the limit; with failover the hold covers the dearest candidate. Through the real port.
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';

let fake: OpenAIFake;
let down: OpenAIFake;
let h: Harness;
let sdk: OpenAI;

const BUDGET = 0.001;

beforeAll(async () => {
  // Headers after 300 ms: every request of a burst is in flight at once.
  fake = await startOpenAIFake({
    reply: 'one two three four five',
    chunks: 5,
    apiKey: 'k',
    models: ['m1', 'dear'],
    fault: { delayMs: 300 },
  });
  down = await startOpenAIFake({ apiKey: 'k', models: ['m1'], fault: { status: 503 } });
  h = await startHarness(
    {
      providers: [
        // $10 per million tokens: the fake bills 5 prompt + 5 output tokens = $0.0001 per request.
        {
          id: 'acme',
          kind: 'openai-compatible',
          baseUrl: fake.url,
          keys: [{ env: 'K' }],
          models: [
            { id: 'm1', price: { input: 10, output: 10 } },
            { id: 'dear', price: { input: 40, output: 40 } },
          ],
        },
        {
          id: 'down',
          kind: 'openai-compatible',
          baseUrl: down.url,
          keys: [{ env: 'K' }],
          models: [{ id: 'm1', price: { input: 1, output: 1 } }],
        },
      ],
      // Cheap first, but it always fails over to the dearer one.
      routes: [
        {
          name: 'failover',
          targets: [
            { provider: 'down', model: 'm1' },
            { provider: 'acme', model: 'dear' },
          ],
        },
      ],
    },
    { K: 'k' },
    'burst',
  );
  sdk = new OpenAI({ baseURL: `${h.baseUrl}/v1`, apiKey: h.token, maxRetries: 0 });
});

afterAll(async () => {
  await h?.close();
  await fake?.close();
  await down?.close();
});

beforeEach(async () => {
  fake.requests.length = 0;
});

/** One request, read to its end: 'ok', or the refusal's HTTP status. */
async function one(model: string, stream: boolean): Promise<'ok' | number> {
  try {
    const reply = await sdk.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'hi there' }],
      max_tokens: 10,
      stream: stream as false,
    });
    if (stream)
      for await (const _ of reply as unknown as AsyncIterable<unknown>) {
        /* read to the end */
      }
    return 'ok';
  } catch (error) {
    expect(error).toMatchObject({ code: 'budget_exceeded' });
    return (error as { status: number }).status;
  }
}

async function spentBy(budget: string) {
  return (await h.app.services.budgets.status()).find((s) => s.name === budget)!;
}

describe('a burst of parallel requests on a tiny hard budget', () => {
  it('never spends past the budget, and holds nothing once every request has ended', async () => {
    await h.app.services.budgets.set([{ name: 'tiny', period: 'daily', mode: 'hard', usd: BUDGET }]);
    // 50 at once, half of them streaming. Each may cost $0.0002 at worst (10 prompt tokens at most + 10 output).
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => one('acme/m1', i % 2 === 0)));
    const sent = results.filter((r) => r === 'ok').length;
    expect(sent).toBeGreaterThan(0);
    expect(results.filter((r) => r !== 'ok').every((r) => r === 402)).toBe(true);
    expect(fake.requests).toHaveLength(sent); // a refused request never reached the upstream
    const status = await spentBy('tiny');
    expect(status.spentUsd).not.toBeNull();
    expect(status.knownSpentUsd).toBeLessThanOrEqual(BUDGET);
    expect(status).toMatchObject({ reservedUsd: 0, reservedTokens: 0 });
    // The ledger agrees with the budget's running total.
    const ledger = await h.app.services.spend.summary({ since: new Date().toISOString().slice(0, 10), client: 'burst' });
    expect(ledger.costUsd).toBe(status.knownSpentUsd);

    // Settled to what each actually cost ($0.0001), not its worst case ($0.0002 or more): given room for
    // 5.2 requests at their actual cost, one at a time, 4 fit (2 would if each kept its worst case). A
    // fresh limit, so how full the burst left the budget (it depends on the machine's pace) does not matter.
    const before = (await spentBy('tiny')).knownSpentUsd;
    const limit = before + 0.00052;
    await h.app.services.budgets.set([{ name: 'tiny', period: 'daily', mode: 'hard', usd: limit }]);
    let more = 0;
    for (let i = 0; i < 20 && (await one('acme/m1', false)) === 'ok'; i++) more++;
    expect(more).toBeGreaterThanOrEqual(3);
    expect((await spentBy('tiny')).knownSpentUsd).toBeLessThanOrEqual(limit);
  });

  it('holds the dearest candidate of a failover route, so falling over cannot overspend', async () => {
    // A fresh $0.001 on top of what the burst above spent today.
    const before = (await h.app.services.spend.summary({ since: new Date().toISOString().slice(0, 10) })).knownCostUsd;
    await h.app.services.budgets.set([{ name: 'route-cap', period: 'daily', mode: 'hard', usd: before + BUDGET }]);
    // Every request falls over from `down` ($1 per million) to `dear` ($40 per million, $0.0004 actual each).
    const results = await Promise.all(Array.from({ length: 20 }, () => one('failover', true)));
    expect(results.filter((r) => r === 'ok').length).toBeGreaterThan(0);
    const status = await spentBy('route-cap');
    expect(status.knownSpentUsd - before).toBeLessThanOrEqual(BUDGET + 1e-12);
    expect(status.knownSpentUsd - before).toBeCloseTo(0.0004 * results.filter((r) => r === 'ok').length, 9);
    expect(status.reservedUsd).toBe(0);
  });

  it('gives a cancelled request back its hold', async () => {
    await h.app.services.budgets.set([{ name: 'cancel-cap', period: 'daily', mode: 'hard', usd: 1 }]);
    fake.fault({ delayMs: 2_000 });
    try {
      const abort = new AbortController();
      const pending = sdk.chat.completions
        .create({ model: 'acme/m1', messages: [{ role: 'user', content: 'hi there' }], max_tokens: 10 }, { signal: abort.signal })
        .catch((e: unknown) => e);
      // Bounded wait for the request to be admitted (its worst case held), then leave.
      for (let i = 0; i < 100 && (await spentBy('cancel-cap')).reservedUsd === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect((await spentBy('cancel-cap')).reservedUsd).toBeGreaterThan(0);
      abort.abort();
      await pending;
      for (let i = 0; i < 100 && (await spentBy('cancel-cap')).reservedUsd > 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await spentBy('cancel-cap')).toMatchObject({ reservedUsd: 0, reservedTokens: 0 });
    } finally {
      fake.fault({ delayMs: 300 });
    }
  });
});
