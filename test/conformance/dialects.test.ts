// The Anthropic and Ollama dialects on the port, beyond the matrix: each dialect's own error shape,
// unknown fields surviving the pass-through paths, failover across provider kinds, failures after
// the first token, count_tokens, /api/tags, image URLs, and the chat service with translated providers.
import { connect } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicFake, type AnthropicFake } from '../fakes/anthropic-fake';
import { startGeminiFake, type GeminiFake } from '../fakes/gemini-fake';
import { PNG, startImageHostFake, type ImageHostFake } from '../fakes/image-host-fake';
import { startOllamaFake, type OllamaFake } from '../fakes/ollama-fake';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';
import { openLedgerReader } from './ledger-reader';

let an: AnthropicFake;
let gm: GeminiFake;
let ol: OllamaFake;
let oa: OpenAIFake;
let images: ImageHostFake;
let h: Harness;
let anthropic: Anthropic;
let ollama: Ollama;
let openai: OpenAI;

beforeAll(async () => {
  [an, gm, ol, oa, images] = await Promise.all([
    startAnthropicFake({ apiKey: 'k-an' }),
    startGeminiFake({ apiKey: 'k-gm' }),
    startOllamaFake(),
    startOpenAIFake({ scenario: true, apiKey: 'k-oa', models: ['gpt-5-mini'], usageExtra: { cost: 0.0042 } }),
    startImageHostFake(),
  ]);
  h = await startHarness(
    {
      providers: [
        {
          id: 'an',
          kind: 'anthropic',
          baseUrl: an.url,
          keys: [{ env: 'K_AN' }],
          models: [{ id: 'claude-sonnet-4-5', price: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 } }],
        },
        { id: 'gm', kind: 'gemini', baseUrl: gm.url, keys: [{ env: 'K_GM' }], models: [{ id: 'gemini-2.5-flash' }] },
        { id: 'ol', kind: 'ollama', baseUrl: ol.url, models: [{ id: 'llama3.2' }] },
        { id: 'gmbad', kind: 'gemini', baseUrl: gm.url, keys: [{ env: 'K_BAD' }], models: [{ id: 'gemini-2.5-flash' }] },
        { id: 'openrouter', kind: 'openai-compatible', baseUrl: oa.url, keys: [{ env: 'K_OA' }], models: [{ id: 'gpt-5-mini' }] },
      ],
      routes: [
        {
          name: 'claude-code',
          targets: [
            { provider: 'an', model: 'claude-sonnet-4-5' },
            { provider: 'gm', model: 'gemini-2.5-flash' },
          ],
        },
        {
          name: 'bad-key-first',
          targets: [
            { provider: 'gmbad', model: 'gemini-2.5-flash' },
            { provider: 'an', model: 'claude-sonnet-4-5' },
          ],
        },
        {
          name: 'local-first',
          targets: [
            { provider: 'ol', model: 'llama3.2' },
            { provider: 'an', model: 'claude-sonnet-4-5' },
          ],
        },
      ],
    },
    { K_AN: 'k-an', K_GM: 'k-gm', K_OA: 'k-oa', K_BAD: 'wrong' },
    'test-client',
    {
      // Images are fetched only from public addresses: images.example "is" one, answered by a loopback fake.
      imageFetch: {
        lookup: async (name) => (name === 'images.example' ? ['93.184.215.14'] : []),
        openSocket: () => connect(images.port, '127.0.0.1'),
      },
    },
  );
  anthropic = new Anthropic({ baseURL: h.baseUrl, apiKey: h.token, maxRetries: 0 });
  ollama = new Ollama({ host: h.baseUrl, headers: { Authorization: `Bearer ${h.token}` } });
  openai = new OpenAI({ baseURL: `${h.baseUrl}/v1`, apiKey: h.token, maxRetries: 0 });
});

afterEach(() => {
  for (const f of [an, gm, ol, oa]) f.fault(null);
});

afterAll(async () => {
  await h?.close();
  await Promise.all([an, gm, ol, oa, images].map((f) => f?.close()));
});

async function latestRow() {
  await h.app.services.spend.summary({});
  return openLedgerReader(h.dataDir).latest();
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${h.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': h.token, 'anthropic-version': '2023-06-01', ...headers },
    body: JSON.stringify(body),
  });

describe('Anthropic dialect', () => {
  it('passes Anthropic SSE through untouched, unknown fields and all, and forwards the client headers', async () => {
    const res = await post(
      '/v1/messages',
      { model: 'an/claude-sonnet-4-5', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'hi' }], x_client_extra: 7 },
      { 'anthropic-beta': 'prompt-caching-2024-07-31' },
    );
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('"x_fake_field":"kept"');
    expect(text).toContain('event: ping');
    const names = [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(names[0]).toBe('message_start');
    expect(names.at(-1)).toBe('message_stop');
    const sent = an.requests.at(-1)!;
    expect(sent.body.model).toBe('claude-sonnet-4-5');
    expect(sent.body.x_client_extra).toBe(7);
    expect(sent.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31');
    expect(sent.headers['x-api-key']).toBe('k-an');
    const row = await latestRow();
    // Anthropic's prices: input 100 x 3, output 20 x 15, cache read 40 x 0.3, cache write 10 x 3.75 (per million).
    expect(row.cost_usd).toBeCloseTo((300 + 300 + 12 + 37.5) / 1e6, 12);
  });

  it('writes translated streams in Anthropic block order (start, deltas, stop per block)', async () => {
    const res = await post('/v1/messages', {
      model: 'gm/gemini-2.5-flash',
      max_tokens: 100,
      stream: true,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: 'hi' }],
    });
    const text = await res.text();
    const events = [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as { type: string; index?: number });
    const open = new Set<number>();
    for (const e of events) {
      if (e.type === 'content_block_start') open.add(e.index!);
      if (e.type === 'content_block_delta') expect(open.has(e.index!)).toBe(true);
      if (e.type === 'content_block_stop') open.delete(e.index!);
    }
    expect(open.size).toBe(0);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['message_start', 'content_block_start', 'message_delta', 'message_stop']),
    );
    expect(gm.requests.at(-1)!.body.generationConfig.thinkingConfig).toEqual({ thinkingBudget: 1024, includeThoughts: true });
  });

  it('answers errors in Anthropic shape, with the SDK raising the right classes', async () => {
    const missing = await anthropic.messages
      .create({ model: 'nope', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError);
    const bad = await post('/v1/messages', { model: 'an/claude-sonnet-4-5', messages: [{ role: 'user', content: 'x' }] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } });
    const notJson = await fetch(`${h.baseUrl}/v1/messages`, { method: 'POST', headers: { 'x-api-key': h.token }, body: '{"model":' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringContaining('not valid JSON') },
    });
    const anon = await fetch(`${h.baseUrl}/v1/messages`, { method: 'POST', body: '{}' });
    expect(anon.status).toBe(401);
    expect(await anon.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    an.fault({ status: 400 });
    const upstream = await anthropic.messages
      .create({ model: 'an/claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(upstream).toBeInstanceOf(Anthropic.BadRequestError);
    expect((upstream as Error).message).toContain('messages: field required');
  });

  it("treats Gemini's 400 for a bad key as the key's fault and fails over", async () => {
    const msg = await anthropic.messages.create({
      model: 'bad-key-first',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'key check' }],
    });
    expect(msg.content[0]).toMatchObject({ type: 'text', text: 'Echo: key check' });
    expect(JSON.parse((await latestRow()).attempts)[0]).toMatchObject({ provider: 'gmbad', status: 400, errorClass: 'auth' });
  });

  it('fails over from an overloaded Anthropic (529) to Gemini, translated, and records both attempts', async () => {
    an.fault({ status: 529 });
    const msg = await anthropic.messages
      .stream({ model: 'claude-code', max_tokens: 100, messages: [{ role: 'user', content: 'fail over' }] })
      .finalMessage();
    expect(msg.content).toEqual(
      [{ type: 'text', text: 'Echo: fail over', citations: undefined }].map(({ citations: _c, ...b }) => expect.objectContaining(b)),
    );
    const row = await latestRow();
    expect(JSON.parse(row.attempts).map((a: { provider: string; status: number }) => [a.provider, a.status])).toEqual([
      ['an', 529],
      ['gm', 200],
    ]);
    expect(row.provider).toBe('gm');
  });

  it('reports a cut after the first token as a stream error, and fails over on a malformed stream before it', async () => {
    gm.fault({ afterFrames: 2 });
    const stream = anthropic.messages.stream({
      model: 'gm/gemini-2.5-flash',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'a longer question here' }],
    });
    await expect(stream.finalMessage()).rejects.toThrow(/mid-stream/);
    expect((await latestRow()).status).toBe('error');
    gm.fault(null);
    an.fault({ malformed: true });
    const res = await anthropic.messages
      .stream({ model: 'claude-code', max_tokens: 100, messages: [{ role: 'user', content: 'x' }] })
      .finalMessage();
    expect(res.model).toBe('gemini-2.5-flash');
    expect(JSON.parse((await latestRow()).attempts)[0]).toMatchObject({ provider: 'an', errorClass: 'malformed' });
  });

  it('lists models in Anthropic shape for Anthropic clients', async () => {
    const ids: string[] = [];
    for await (const m of anthropic.models.list()) ids.push(m.id);
    expect(ids).toEqual(expect.arrayContaining(['claude-code', 'an/claude-sonnet-4-5', 'gm/gemini-2.5-flash']));
    // One model, by id (a provider/model id's slash included), and a 404 in Anthropic's error shape.
    expect(await anthropic.models.retrieve('an/claude-sonnet-4-5')).toMatchObject({ type: 'model', id: 'an/claude-sonnet-4-5' });
    await expect(anthropic.models.retrieve('nope')).rejects.toMatchObject({
      status: 404,
      error: { type: 'error', error: { type: 'not_found_error' } },
    });
  });

  it('counts tokens: exactly from Anthropic, estimated for other kinds', async () => {
    const exact = await anthropic.messages.countTokens({
      model: 'an/claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'count me' }],
    });
    expect(exact.input_tokens).toBe(1234);
    expect(an.requests.at(-1)!.path).toBe('/v1/messages/count_tokens');
    const estimate = await anthropic.messages.countTokens({
      model: 'gm/gemini-2.5-flash',
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'count me please, all of these words' }],
    });
    expect(estimate.input_tokens).toBeGreaterThan(8);
    expect(estimate.input_tokens).toBeLessThan(40);
  });
});

describe('cancellation', () => {
  it('aborts a translated upstream when the Anthropic client goes away, and records the request as cancelled', async () => {
    gm.fault({ frameDelayMs: 40 });
    const controller = new AbortController();
    const stream = anthropic.messages.stream(
      { model: 'gm/gemini-2.5-flash', max_tokens: 100, messages: [{ role: 'user', content: 'a long answer please' }] },
      { signal: controller.signal },
    );
    const consume = async () => {
      for await (const e of stream) if (e.type === 'content_block_delta') controller.abort();
    };
    await expect(consume()).rejects.toThrow();
    let row = await latestRow();
    for (let i = 0; i < 40 && row.status !== 'cancelled'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      row = await latestRow();
    }
    expect(row.status).toBe('cancelled');
    expect(row.provider).toBe('gm');
  });
});

describe('Ollama dialect', () => {
  it('lists routes and models in /api/tags', async () => {
    const { models } = await ollama.list();
    expect(models.map((m) => m.name)).toEqual(
      expect.arrayContaining(['claude-code', 'local-first', 'an/claude-sonnet-4-5', 'ol/llama3.2']),
    );
  });

  it('answers at the token base URL as an Ollama server does at its root (clients probe it)', async () => {
    for (const base of [`${h.baseUrl}/t/${h.token}`, `${h.baseUrl}/t/${h.token}/`]) {
      const ok = await fetch(base);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toBe('Ollama is running');
      expect((await fetch(base, { method: 'HEAD' })).status).toBe(200);
    }
    const bad = await fetch(`${h.baseUrl}/t/sbt_not-a-token`);
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: expect.stringContaining('invalid client token') });
    // And the same client sees the port's tags through that base URL.
    const viaPath = new Ollama({ host: `${h.baseUrl}/t/${h.token}` });
    expect((await viaPath.list()).models.length).toBeGreaterThan(0);
  });

  it('answers /api/version and /api/show as Ollama tools expect', async () => {
    expect((await ollama.version()).version).toMatch(/^\d+\.\d+\.\d+$/);
    const shown = await ollama.show({ model: 'claude-code' });
    expect(shown.details.families).toEqual(['anthropic', 'gemini']);
    expect(shown.capabilities).toContain('tools');
    await expect(ollama.show({ model: 'nope' })).rejects.toThrow(/does not exist/);
  });

  it('answers errors as {error} with the status, which the client raises', async () => {
    await expect(ollama.chat({ model: 'nope', messages: [{ role: 'user', content: 'x' }] })).rejects.toThrow(/does not exist/);
    const res = await fetch(`${h.baseUrl}/api/chat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.token}` },
      body: JSON.stringify({ model: 'ol/llama3.2' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'messages must be an array' });
    const notJson = await fetch(`${h.baseUrl}/api/chat`, { method: 'POST', headers: { authorization: `Bearer ${h.token}` }, body: 'nope' });
    expect(notJson.status).toBe(400);
    expect(Object.keys(await notJson.json())).toEqual(['error']);
    const anon = await fetch(`${h.baseUrl}/api/tags`);
    expect(anon.status).toBe(401);
    expect(Object.keys(await anon.json())).toEqual(['error']);
  });

  it('fails over from a busy local Ollama (503) to Anthropic, streaming NDJSON to the client', async () => {
    ol.fault({ status: 503 });
    let text = '';
    let final: { eval_count?: number; done_reason?: string } = {};
    for await (const part of await ollama.chat({
      model: 'local-first',
      messages: [{ role: 'user', content: 'cloud please' }],
      stream: true,
    })) {
      text += part.message.content;
      if (part.done) final = part;
    }
    expect(text).toBe('Echo: cloud please');
    expect(final).toMatchObject({ eval_count: 20, done_reason: 'stop' });
    expect((await latestRow()).provider).toBe('an');
  });

  it('reports a cut upstream stream as an error line the client raises', async () => {
    ol.fault({ afterFrames: 2 });
    const consume = async () => {
      for await (const _part of await ollama.chat({
        model: 'ol/llama3.2',
        messages: [{ role: 'user', content: 'a longer reply please' }],
        stream: true,
      }))
        void _part;
    };
    await expect(consume()).rejects.toThrow(/mid-stream/);
  });
});

describe('OpenAI-compatible presets and the chat service', () => {
  it('sends OpenRouter its usage option and keeps the cost it reports', async () => {
    const r = await openai.chat.completions.create({ model: 'openrouter/gpt-5-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(r.choices[0]!.message.content).toBe('Echo: hi');
    expect(oa.requests.at(-1)!.body.usage).toEqual({ include: true });
    expect(oa.requests.at(-1)!.headers['x-title']).toBe('Switchboard');
    // No price is configured: the cost is the one OpenRouter reported.
    expect((await latestRow()).cost_usd).toBeCloseTo(0.0042, 12);
  });

  it('passes OpenAI-protocol bytes through untouched on the fast path, unknown fields and all', async () => {
    const headers = { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' };
    const body = { model: 'openrouter/gpt-5-mini', messages: [{ role: 'user', content: 'raw' }], x_client_extra: [1, 2] };
    const streamed = await (
      await fetch(`${h.baseUrl}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify({ ...body, stream: true }) })
    ).text();
    expect(streamed).toContain('"x_fake_field":"kept"');
    expect(streamed).toContain('"system_fingerprint":"fp_fake"');
    expect(streamed.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(oa.requests.at(-1)!.body.x_client_extra).toEqual([1, 2]);
    const whole = await (await fetch(`${h.baseUrl}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify(body) })).json();
    expect(whole.x_fake_field).toBe('kept');
  });

  it('streams the chat screen from Anthropic, Gemini and Ollama targets through translation', async () => {
    for (const model of ['an/claude-sonnet-4-5', 'gm/gemini-2.5-flash', 'ol/llama3.2']) {
      let text = '';
      let done: { provider?: string; usage?: { inputTokens: number; outputTokens: number } } = {};
      for await (const e of h.app.services.chat.stream({ model, messages: [{ role: 'user', content: 'from the app' }] })) {
        if (e.type === 'delta') text += e.text;
        if (e.type === 'error') throw new Error(e.message);
        if (e.type === 'done') done = e;
      }
      expect(text).toBe('Echo: from the app');
      expect(done.provider).toBe(model.split('/')[0]);
      expect(done.usage?.outputTokens).toBe(20);
    }
  });
});

describe('image URLs for providers that take images only inline', () => {
  it('fetches the image once and sends its bytes to Gemini and Ollama; a missing image is a 400', async () => {
    for (const model of ['gm/gemini-2.5-flash', 'ol/llama3.2']) {
      const r = await openai.chat.completions.create({
        model,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'what?' },
              { type: 'image_url', image_url: { url: 'http://images.example/x.png' } },
            ],
          },
        ],
      });
      expect(r.choices[0]!.message.content).toMatch(new RegExp(`^I see a (image/png|base64) image of ${PNG.length} bytes\\.$`));
    }
    expect(images.requests.filter((r) => r.path === '/x.png')).toHaveLength(2);
    const missing = await openai.chat.completions
      .create({
        model: 'gm/gemini-2.5-flash',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://images.example/gone.png' } }] }],
      })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OpenAI.BadRequestError);
    expect((missing as Error).message).toContain('could not be fetched');
  });
});
