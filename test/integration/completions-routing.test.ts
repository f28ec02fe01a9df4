// Legacy completions are routed like chat: a failing target fails over to the next, a target whose
// protocol has no /completions is skipped, and a stream cut after its first text reaches the client as
// an error (and the ledger as one), never as a clean end.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';

let broken: OpenAIFake;
let good: OpenAIFake;
let h: Harness;
let client: OpenAI;

beforeAll(async () => {
  broken = await startOpenAIFake({ apiKey: 'k', models: ['m1'], fault: { status: 503 } });
  good = await startOpenAIFake({ reply: 'return a + b', chunks: 3, apiKey: 'k', models: ['m1'] });
  h = await startHarness(
    {
      providers: [
        { id: 'broken', kind: 'openai-compatible', baseUrl: broken.url, keys: [{ env: 'K' }], models: [{ id: 'm1' }] },
        { id: 'claude', kind: 'anthropic', baseUrl: 'http://127.0.0.1:9', keys: [{ env: 'K' }], models: [{ id: 'claude-x' }] },
        { id: 'good', kind: 'openai-compatible', baseUrl: good.url, keys: [{ env: 'K' }], models: [{ id: 'm1' }] },
      ],
      routes: [
        {
          name: 'fim',
          targets: [
            { provider: 'broken', model: 'm1' },
            { provider: 'claude', model: 'claude-x' },
            { provider: 'good', model: 'm1' },
          ],
        },
      ],
    },
    { K: 'k' },
  );
  client = new OpenAI({ baseURL: `${h.baseUrl}/v1`, apiKey: h.token, maxRetries: 0 });
});

afterAll(async () => {
  await h?.close();
  await broken?.close();
  await good?.close();
});

describe('legacy completions routing', () => {
  it('fails over past a 503 and a protocol without /completions to a target that serves it', async () => {
    const r = await client.completions.create({ model: 'fim', prompt: 'function add(a, b) {', suffix: '}' });
    expect(r.choices[0]!.text).toBe('return a + b');
    const [row] = await h.app.services.spend.requests({ limit: 1 });
    expect(row!.attempts.map((a) => [a.provider, a.status ?? a.errorClass])).toEqual([
      ['broken', 503],
      ['claude', expect.anything()],
      ['good', 200],
    ]);
    expect(row!.attempts[1]!.errorClass).toBe('unsupported');
  });

  it('reports a stream cut after its first text as an error, to the client and the ledger', async () => {
    good.fault({ afterChunks: 1 });
    broken.fault({ status: 503 });
    let text = '';
    const consume = async () => {
      for await (const chunk of await client.completions.create({ model: 'good/m1', prompt: 'x', stream: true }))
        text += chunk.choices[0]?.text ?? '';
    };
    await expect(consume()).rejects.toThrow(/failed mid-stream/);
    expect(text.length).toBeGreaterThan(0);
    const [row] = await h.app.services.spend.requests({ limit: 1 });
    expect(row).toMatchObject({ status: 'error', httpStatus: 502 });
    good.fault(null);
  });
});
