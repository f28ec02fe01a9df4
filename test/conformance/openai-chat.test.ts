// The official `openai` SDK against the port: streaming and not, failover, errors, and the ledger.
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';

const REPLY = 'The quick brown fox jumps over the lazy dog.';
let acme: OpenAIFake;
let beta: OpenAIFake;
let h: Harness;
let client: OpenAI;

beforeAll(async () => {
  acme = await startOpenAIFake({ reply: REPLY, chunks: 6, apiKey: 'acme-secret', models: ['m1'] });
  beta = await startOpenAIFake({ reply: 'Beta answers.', chunks: 3, apiKey: 'beta-secret', models: ['m2'] });
  const config = {
    providers: [
      {
        id: 'acme',
        kind: 'openai-compatible',
        baseUrl: acme.url,
        keys: [{ env: 'ACME_KEY' }],
        models: [{ id: 'm1', contextWindow: 128000, price: { input: 1.0, output: 2.0 } }],
      },
      {
        id: 'beta',
        kind: 'openai-compatible',
        baseUrl: beta.url,
        keys: [{ env: 'BETA_KEY' }],
        models: [{ id: 'm2', price: { input: 3.0, output: 6.0 } }],
      },
      // Nothing listens on port 9 (discard) on loopback here: a refused connection.
      { id: 'dead', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', keys: [{ env: 'ACME_KEY' }], models: [{ id: 'm0' }] },
      // An Anthropic provider nobody answers for (port 9 on loopback): translated, then skipped.
      { id: 'claude', kind: 'anthropic', baseUrl: 'http://127.0.0.1:9', keys: [{ env: 'ACME_KEY' }], models: [{ id: 'c1' }] },
    ],
    routes: [
      {
        name: 'default',
        strategy: 'fallback',
        targets: [
          { provider: 'acme', model: 'm1' },
          { provider: 'beta', model: 'm2' },
        ],
      },
      {
        name: 'refused-first',
        strategy: 'fallback',
        targets: [
          { provider: 'dead', model: 'm0' },
          { provider: 'beta', model: 'm2' },
        ],
      },
      {
        name: 'claude-first',
        strategy: 'fallback',
        targets: [
          { provider: 'claude', model: 'c1' },
          { provider: 'acme', model: 'm1' },
        ],
      },
    ],
  };
  h = await startHarness(config, { ACME_KEY: 'acme-secret', BETA_KEY: 'beta-secret' });
  client = new OpenAI({ baseURL: `${h.baseUrl}/v1`, apiKey: h.token, maxRetries: 0 });
});

afterEach(() => {
  acme.fault(null);
  beta.fault(null);
});

afterAll(async () => {
  await h?.close();
  await acme?.close();
  await beta?.close();
});

async function latestRow() {
  await h.app.services.spend.summary({}); // flushes queued rows
  const { openLedgerReader } = await import('./ledger-reader');
  return openLedgerReader(h.dataDir).latest();
}

describe('openai SDK through the port', () => {
  it('streams a completion from a route, without the usage chunk it did not ask for', async () => {
    const stream = await client.chat.completions.create({
      model: 'default',
      messages: [{ role: 'user', content: 'Say the pangram' }],
      stream: true,
    });
    let text = '';
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      expect(chunk.choices.length).toBeGreaterThan(0);
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).toBe(REPLY);
    expect(chunks).toBeGreaterThan(3);
    // The upstream was asked for usage even though the client was not.
    expect(acme.requests.at(-1)?.body.stream_options).toEqual({ include_usage: true });
    expect(acme.requests.at(-1)?.body.model).toBe('m1');
  });

  it('passes the usage chunk through when the client asks for it', async () => {
    const stream = await client.chat.completions.create({
      model: 'default',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    expect(usage?.completion_tokens).toBe(6);
    expect(usage?.prompt_tokens).toBeGreaterThan(0);
  });

  it('answers a non-streaming completion with the upstream body', async () => {
    const completion = await client.chat.completions.create({ model: 'acme/m1', messages: [{ role: 'user', content: 'hello there' }] });
    expect(completion.choices[0]?.message.content).toBe(REPLY);
    expect(completion.usage?.completion_tokens).toBe(6);
  });

  it('skips a target that answers 503 and records both attempts and the cost', async () => {
    acme.fault({ status: 503 });
    const before = beta.requests.length;
    const stream = await client.chat.completions.create({
      model: 'default',
      messages: [{ role: 'user', content: 'fail over please' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Beta answers.');
    expect(beta.requests.length).toBe(before + 1);
    const row = await latestRow();
    expect(row.provider).toBe('beta');
    expect(row.model).toBe('m2');
    expect(row.client).toBe('test-client');
    expect(row.route).toBe('default');
    expect(row.status).toBe('ok');
    const attempts = JSON.parse(row.attempts);
    expect(attempts.map((a: { provider: string; status: number }) => [a.provider, a.status])).toEqual([
      ['acme', 503],
      ['beta', 200],
    ]);
    // beta: input 3 $/M, output 6 $/M; the fake reports 3 completion tokens.
    const expected = (row.input_tokens * 3 + 3 * 6) / 1e6;
    expect(row.output_tokens).toBe(3);
    expect(row.cost_usd).toBeCloseTo(expected, 12);
    expect(row.cost_usd).toBeGreaterThan(0);
  });

  it('skips a target that answers 429 and one whose connection is refused', async () => {
    acme.fault({ status: 429, retryAfter: '1' });
    const a = await client.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'x' }] });
    expect(a.choices[0]?.message.content).toBe('Beta answers.');
    const b = await client.chat.completions.create({ model: 'refused-first', messages: [{ role: 'user', content: 'x' }] });
    expect(b.choices[0]?.message.content).toBe('Beta answers.');
    const row = await latestRow();
    expect(JSON.parse(row.attempts)[0]).toMatchObject({ provider: 'dead', status: null, errorClass: 'network' });
  });

  it('fails over from an unreachable provider of another kind (anthropic) to an OpenAI one', async () => {
    const r = await client.chat.completions.create({ model: 'claude-first', messages: [{ role: 'user', content: 'x' }] });
    expect(r.choices[0]?.message.content).toBe(REPLY);
    const row = await latestRow();
    expect(JSON.parse(row.attempts)[0]).toMatchObject({ provider: 'claude', errorClass: 'network' });
  });

  it('returns a 502 in OpenAI shape when every target fails', async () => {
    acme.fault({ status: 500 });
    beta.fault({ status: 503 });
    const error = await client.chat.completions
      .create({ model: 'default', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain('after 2 attempts');
  });

  it('lists routes and provider/model ids', async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids.slice(0, 3)).toEqual(['default', 'refused-first', 'claude-first']);
    expect(ids).toContain('acme/m1');
    expect(ids).toContain('beta/m2');
  });

  it('refuses a request without a valid token with a 401 in OpenAI shape', async () => {
    const anon = new OpenAI({ baseURL: `${h.baseUrl}/v1`, apiKey: 'sbt_not-a-real-token', maxRetries: 0 });
    const error = await anon.chat.completions
      .create({ model: 'default', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });
    const res = await fetch(`${h.baseUrl}/v1/models`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_api_key' } });
  });

  it('answers an unknown model with a 404 and nothing reaches an upstream', async () => {
    const before = acme.requests.length + beta.requests.length;
    const error = await client.chat.completions
      .create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(acme.requests.length + beta.requests.length).toBe(before);
  });

  it('reports a stream cut after the first token as an error, never a clean end', async () => {
    acme.fault({ afterChunks: 2 });
    const stream = await client.chat.completions.create({ model: 'acme/m1', messages: [{ role: 'user', content: 'x' }], stream: true });
    let text = '';
    const consume = async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    };
    await expect(consume()).rejects.toThrow(/mid-stream/);
    expect(text.length).toBeGreaterThan(0);
    const row = await latestRow();
    expect(row.status).toBe('error');
  });
});
