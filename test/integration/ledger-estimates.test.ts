// Spend truth for requests whose upstream reported no usage, over real HTTP and a real ledger: a stream
// without usage is counted with the tokenizer (not one token per chunk) and flagged estimated; a stopped
// request keeps its (estimated) input tokens and cost; a failed one keeps the model it asked for, its
// route and the last target it tried; reported usage always wins.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatStreamEvent, SpendRequest } from '../../shared/types';
import { countTokens } from '../../electron/engine/catalog/tokenizer';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';

const BIG_REPLY = 'word '.repeat(200_000); // one 1 MB content chunk
const SMALL_REPLY = 'one two three four five six seven eight';
const PROMPT = 'Tell me a long story about the words that models write.';
/** What the ledger estimates for a one-message prompt: its text through the tokenizer, plus the message's own tokens. */
const PROMPT_TOKENS = countTokens(PROMPT) + 4;

let big: OpenAIFake;
let small: OpenAIFake;
let h: Harness;

beforeAll(async () => {
  big = await startOpenAIFake({ reply: BIG_REPLY, chunks: 1, apiKey: 'k', models: ['m1'] });
  small = await startOpenAIFake({ reply: SMALL_REPLY, chunks: 8, apiKey: 'k', models: ['m1', 'm3', 'm4'] });
  const price = { input: 1, output: 2 };
  h = await startHarness(
    {
      providers: [
        { id: 'big', kind: 'openai-compatible', baseUrl: big.url, keys: [{ env: 'K' }], models: [{ id: 'm1', price }] },
        {
          id: 'acme',
          kind: 'openai-compatible',
          baseUrl: small.url,
          keys: [{ env: 'K' }],
          models: [
            { id: 'm1', price },
            { id: 'm3', price },
            { id: 'm4', price },
          ],
        },
      ],
      routes: [
        {
          name: 'broken',
          targets: [
            { provider: 'acme', model: 'm3' },
            { provider: 'acme', model: 'm4' },
          ],
        },
      ],
    },
    { K: 'k' },
    'estimates-client',
  );
}, 30_000);

afterAll(async () => {
  await h?.close();
  await big?.close();
  await small?.close();
});

beforeEach(() => {
  big.fault(null);
  small.fault(null);
  small.faultBy(null);
});

const chat = (model: string, signal?: AbortSignal) =>
  fetch(`${h.baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: PROMPT }] }),
    signal,
  });

/** The ledger row of the response's request (x-request-id), once recorded (bounded wait). */
async function rowOf(id: string): Promise<SpendRequest> {
  for (let i = 0; i < 100; i++) {
    const found = (await h.app.services.spend.requests({ limit: 50 })).find((r) => r.id === id);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no ledger row for ${id}`);
}

describe('estimated usage in the ledger', () => {
  it('counts a stream without usage with the tokenizer (one 1 MB chunk is not one token) and flags it estimated', async () => {
    big.fault({ omitUsage: true });
    const res = await chat('big/m1');
    const text = await res.text();
    expect(text).toContain('[DONE]');
    const row = await rowOf(res.headers.get('x-request-id')!);
    const exact = countTokens(BIG_REPLY);
    expect(row).toMatchObject({ status: 'ok', usageEstimated: true, inputTokens: PROMPT_TOKENS, requestedModel: 'big/m1' });
    expect(Math.abs(row.outputTokens - exact) / exact).toBeLessThan(0.01);
    expect(row.costUsd).toBeCloseTo((PROMPT_TOKENS * 1 + row.outputTokens * 2) / 1e6, 9);
    const csv = (await h.app.services.spend.exportCsv({})).trim().split('\r\n');
    expect(csv.find((l) => l.startsWith(row.id))).toMatch(/,big\/m1,yes$/);
    expect((await h.app.services.spend.summary({ by: 'model' })).groups.find((g) => g.key === 'big/m1')).toMatchObject({
      estimatedRequests: 1,
    });
  }, 30_000);

  it('keeps the input tokens (estimated) and cost of a request the client stopped mid-stream', async () => {
    small.fault({ chunkDelayMs: 150 });
    const stop = new AbortController();
    const res = await chat('acme/m1', stop.signal);
    const reader = res.body!.getReader();
    let seen = '';
    // Read until the first content arrives, then leave (bounded by the chunk count).
    for (let i = 0; i < 20 && !seen.includes('"content":"one'); i++) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    stop.abort();
    const row = await rowOf(res.headers.get('x-request-id')!);
    expect(row).toMatchObject({ status: 'cancelled', usageEstimated: true, inputTokens: PROMPT_TOKENS, provider: 'acme', model: 'm1' });
    expect(row.outputTokens).toBeGreaterThan(0);
    expect(row.outputTokens).toBeLessThanOrEqual(countTokens(SMALL_REPLY));
    expect(row.costUsd).toBeCloseTo((PROMPT_TOKENS + row.outputTokens * 2) / 1e6, 9);
  });

  it('keeps the input tokens of a chat the user stopped (the app service)', async () => {
    small.fault({ chunkDelayMs: 100 });
    const stop = new AbortController();
    for await (const e of h.app.services.chat.stream(
      { model: 'acme/m1', messages: [{ role: 'user', content: PROMPT }], ephemeral: true },
      stop.signal,
    )) {
      if ((e as ChatStreamEvent).type === 'delta') {
        stop.abort();
        break;
      }
    }
    const [row] = await h.app.services.spend.requests({ source: 'chat', limit: 1 });
    expect(row).toMatchObject({ status: 'cancelled', usageEstimated: true, inputTokens: PROMPT_TOKENS, requestedModel: 'acme/m1' });
  });

  it('keeps the requested model, the route and the last target tried of a request every target failed', async () => {
    small.fault({ status: 500 });
    const res = await chat('broken');
    expect(res.status).toBe(502);
    await res.text();
    const row = await rowOf(res.headers.get('x-request-id')!);
    expect(row).toMatchObject({
      status: 'error',
      route: 'broken',
      requestedModel: 'broken',
      provider: 'acme',
      model: 'm4',
      inputTokens: PROMPT_TOKENS,
      outputTokens: 0,
      usageEstimated: true,
      costUsd: 0,
    });
    expect(row.attempts.map((a) => [a.model, a.status])).toEqual([
      ['m3', 500],
      ['m4', 500],
    ]);
    expect((await h.app.services.spend.summary({ by: 'model' })).groups.find((g) => g.key === '(none)')).toBeUndefined();
  });

  it('takes reported usage as it is, never an estimate', async () => {
    const res = await chat('acme/m1');
    await res.text();
    const row = await rowOf(res.headers.get('x-request-id')!);
    // The fake reports 1 token per word of the prompt + 3 per message, and one per chunk.
    expect(row).toMatchObject({ status: 'ok', inputTokens: PROMPT.split(' ').length + 3, outputTokens: 8 });
    expect(row.usageEstimated).toBeUndefined();
  });
});
