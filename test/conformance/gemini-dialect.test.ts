// The Gemini dialect on the port (what Gemini CLI and Google's SDKs send): generateContent and
// streamGenerateContent (SSE and the JSON array) through failover routes to OpenAI-compatible and
// Anthropic upstreams, function calling both ways, countTokens, the model list, the client token as
// x-goog-api-key or ?key=, refusals in Google's error shape, and a failure after the first token.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicFake, type AnthropicFake } from '../fakes/anthropic-fake';
import { startGeminiFake, type GeminiFake } from '../fakes/gemini-fake';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { TOOL_ARGS } from '../fakes/scenario';
import { startHarness, type Harness } from '../support/engine-harness';
import { sendRaw } from '../support/raw-http';
import { openLedgerReader } from './ledger-reader';

let an: AnthropicFake;
let gm: GeminiFake;
let oa: OpenAIFake;
let down: OpenAIFake;
let h: Harness;

beforeAll(async () => {
  [an, gm, oa, down] = await Promise.all([
    startAnthropicFake({ apiKey: 'k-an' }),
    startGeminiFake({ apiKey: 'k-gm' }),
    startOpenAIFake({ scenario: true, apiKey: 'k-oa', models: ['gpt-5-mini'] }),
    startOpenAIFake({ models: ['gpt-5-mini'], fault: { status: 503 } }),
  ]);
  h = await startHarness(
    {
      providers: [
        { id: 'oa', kind: 'openai-compatible', baseUrl: oa.url, keys: [{ env: 'K_OA' }], models: [{ id: 'gpt-5-mini' }] },
        { id: 'an', kind: 'anthropic', baseUrl: an.url, keys: [{ env: 'K_AN' }], models: [{ id: 'claude-sonnet-4-5' }] },
        { id: 'gm', kind: 'gemini', baseUrl: gm.url, keys: [{ env: 'K_GM' }], models: [{ id: 'gemini-2.5-flash' }] },
        // One 503ing upstream under two names, so each route's failures count against its own target.
        { id: 'down-oa', kind: 'openai-compatible', baseUrl: down.url, keys: [{ env: 'K_DOWN' }], models: [{ id: 'gpt-5-mini' }] },
        { id: 'down-an', kind: 'openai-compatible', baseUrl: down.url, keys: [{ env: 'K_DOWN' }], models: [{ id: 'gpt-5-mini' }] },
      ],
      routes: [
        {
          name: 'gem-openai',
          targets: [
            { provider: 'down-oa', model: 'gpt-5-mini' },
            { provider: 'oa', model: 'gpt-5-mini' },
          ],
        },
        {
          name: 'gem-anthropic',
          targets: [
            { provider: 'down-an', model: 'gpt-5-mini' },
            { provider: 'an', model: 'claude-sonnet-4-5' },
          ],
        },
      ],
    },
    { K_OA: 'k-oa', K_AN: 'k-an', K_GM: 'k-gm', K_DOWN: 'k-down' },
    'gemini-cli',
  );
});

afterEach(() => gm.fault(null));

afterAll(async () => {
  await h?.close();
  await Promise.all([an, gm, oa, down].map((f) => f?.close()));
});

async function latestRow() {
  await h.app.services.spend.summary({});
  return openLedgerReader(h.dataDir).latest();
}

const attemptsOf = (row: { attempts: string }) =>
  (JSON.parse(row.attempts) as Array<{ provider: string; status: number }>).map((a) => [a.provider, a.status]);

/** A call as Google's SDKs make it: the token in x-goog-api-key unless `headers` say otherwise. */
function gemini(path: string, body?: unknown, headers: Record<string, string> = { 'x-goog-api-key': h.token }): Promise<Response> {
  return fetch(
    `${h.baseUrl}${path}`,
    body === undefined
      ? { headers }
      : { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) },
  );
}

const userText = (text: string) => ({ contents: [{ role: 'user', parts: [{ text }] }] });

/** The events of an `alt=sse` answer, as Google frames them (`data: {...}\r\n\r\n`). */
function sseEvents(text: string): any[] {
  return text
    .split('\r\n\r\n')
    .filter((f) => f.startsWith('data: '))
    .map((f) => JSON.parse(f.slice('data: '.length)));
}

const textOf = (chunks: any[]) =>
  chunks
    .flatMap((c) => c.candidates?.[0]?.content?.parts ?? [])
    .filter((p: any) => typeof p.text === 'string' && !p.thought)
    .map((p: any) => p.text)
    .join('');

const WEATHER_TOOL = {
  functionDeclarations: [
    {
      name: 'get_weather',
      description: 'Weather for a city',
      // Google's OpenAPI-subset schema (upper-case types, nullable), as older clients declare tools.
      parameters: {
        type: 'OBJECT',
        properties: { city: { type: 'STRING' }, unit: { type: 'STRING', nullable: true } },
        required: ['city'],
      },
    },
  ],
};

describe('generateContent and streamGenerateContent', () => {
  it('answers generateContent through a route whose first target answers 503, translated to an OpenAI-compatible upstream', async () => {
    const res = await gemini('/v1beta/models/gem-openai:generateContent', {
      ...userText('hello'),
      systemInstruction: { parts: [{ text: 'Be terse.' }] },
      generationConfig: { temperature: 0.2, maxOutputTokens: 300, stopSequences: ['END'] },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.candidates[0]).toMatchObject({
      content: { role: 'model', parts: [{ text: 'Echo: hello' }] },
      finishReason: 'STOP',
      index: 0,
    });
    // The scenario upstream's usage: 140 prompt tokens (40 cached), 20 completion tokens (5 reasoning).
    expect(body.usageMetadata).toEqual({
      promptTokenCount: 140,
      cachedContentTokenCount: 40,
      candidatesTokenCount: 15,
      thoughtsTokenCount: 5,
      totalTokenCount: 160,
    });
    const sent = oa.requests.at(-1)!.body;
    expect(sent.messages[0]).toEqual({ role: 'system', content: 'Be terse.' });
    expect(sent).toMatchObject({ model: 'gpt-5-mini', temperature: 0.2, max_tokens: 300, stop: ['END'] });
    const row = await latestRow();
    expect(row).toMatchObject({ client: 'gemini-cli', route: 'gem-openai', provider: 'oa', status: 'ok', input_tokens: 140 });
    expect(attemptsOf(row)).toEqual([
      ['down-oa', 503],
      ['oa', 200],
    ]);
  });

  it('streams SSE (alt=sse) through a failover route to Anthropic, with the token in ?key=, and logs the path without it', async () => {
    const res = await gemini(
      `/v1beta/models/gem-anthropic:streamGenerateContent?alt=sse&key=${encodeURIComponent(h.token)}`,
      userText('stream me'),
      {},
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = sseEvents(await res.text());
    expect(textOf(events)).toBe('Echo: stream me');
    const last = events.at(-1);
    expect(last.candidates[0].finishReason).toBe('STOP');
    expect(events.slice(0, -1).every((e) => e.candidates[0].finishReason === undefined)).toBe(true);
    // Anthropic's usage (input 100, cache read 40, cache write 10, output 20) in Gemini's counting.
    expect(last.usageMetadata).toEqual({
      promptTokenCount: 150,
      cachedContentTokenCount: 40,
      candidatesTokenCount: 20,
      totalTokenCount: 170,
    });
    const row = await latestRow();
    expect(row).toMatchObject({ client: 'gemini-cli', route: 'gem-anthropic', provider: 'an', status: 'ok' });
    expect(attemptsOf(row)).toEqual([
      ['down-an', 503],
      ['an', 200],
    ]);
    const log = await h.app.services.port.requests(20);
    expect(log[0]!.path).toBe('/v1beta/models/gem-anthropic:streamGenerateContent');
    expect(JSON.stringify(log)).not.toContain(h.token);
  });

  it('streams a JSON array without alt=sse, as Google does', async () => {
    const res = await gemini('/v1beta/models/oa%2Fgpt-5-mini:streamGenerateContent', userText('array please'));
    expect(res.status).toBe(200);
    const chunks = JSON.parse(await res.text()) as any[];
    expect(Array.isArray(chunks)).toBe(true);
    expect(textOf(chunks)).toBe('Echo: array please');
    expect(chunks.at(-1).candidates[0].finishReason).toBe('STOP');
  });

  it('takes the model as models/x, provider/model with a raw or encoded slash, or a bare model id', async () => {
    for (const path of [
      '/v1beta/models/models%2Fgem-openai:generateContent',
      '/v1beta/models/oa/gpt-5-mini:generateContent',
      '/v1beta/models/gemini-2.5-flash:generateContent',
    ]) {
      const res = await gemini(path, userText('which'));
      expect(res.status, path).toBe(200);
      expect(textOf([await res.json()])).toBe('Echo: which');
    }
  });

  it('asks a Gemini upstream for thinking and shows thought parts to a client that asked for them', async () => {
    const res = await gemini('/v1beta/models/gm%2Fgemini-2.5-flash:streamGenerateContent?alt=sse', {
      ...userText('think'),
      generationConfig: { thinkingConfig: { thinkingBudget: 2048, includeThoughts: true } },
    });
    const events = sseEvents(await res.text());
    expect(events.flatMap((e) => e.candidates[0].content.parts).some((p: any) => p.thought === true && p.text.length > 0)).toBe(true);
    expect(textOf(events)).toBe('Echo: think');
    expect(gm.requests.at(-1)!.body.generationConfig.thinkingConfig).toEqual({ thinkingBudget: 2048, includeThoughts: true });
    expect(events.at(-1).usageMetadata).toMatchObject({
      promptTokenCount: 140,
      cachedContentTokenCount: 40,
      candidatesTokenCount: 15,
      thoughtsTokenCount: 5,
    });
  });

  it('reports a failure after the first token as an error event in Google shape, and records an error row', async () => {
    gm.fault({ afterFrames: 2 });
    const res = await gemini('/v1beta/models/gm%2Fgemini-2.5-flash:streamGenerateContent?alt=sse', userText('a longer question here'));
    expect(res.status).toBe(200);
    const events = sseEvents(await res.text());
    expect(textOf(events).length).toBeGreaterThan(0);
    const last = events.at(-1);
    expect(last.error).toMatchObject({ code: 500, status: 'INTERNAL', message: expect.stringContaining('mid-stream') });
    expect(events.some((e) => e.candidates?.[0]?.finishReason)).toBe(false);
    const row = await latestRow();
    expect(row).toMatchObject({ status: 'error', provider: 'gm', client: 'gemini-cli' });
    // The cut stream reported no usage: the row holds an estimate, not zero.
    expect(row.input_tokens).toBeGreaterThan(0);
    expect(row.output_tokens).toBeGreaterThan(0);
  });
});

describe('function calling', () => {
  it('round-trips a function call with an OpenAI-compatible upstream: functionCall out, functionResponse back in', async () => {
    const first = await gemini('/v1beta/models/oa%2Fgpt-5-mini:streamGenerateContent?alt=sse', {
      ...userText('weather in Paris?'),
      tools: [WEATHER_TOOL],
      toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
    });
    const events = sseEvents(await first.text());
    const calls = events.flatMap((e) => e.candidates[0].content.parts).filter((p: any) => p.functionCall);
    expect(calls).toEqual([{ functionCall: { id: 'call_fake_1', name: 'get_weather', args: TOOL_ARGS } }]);
    expect(events.at(-1).candidates[0].finishReason).toBe('STOP');
    const tools = oa.requests.at(-1)!.body.tools;
    expect(tools[0].function.parameters).toEqual({
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: ['string', 'null'] } },
      required: ['city'],
    });
    expect(oa.requests.at(-1)!.body.tool_choice).toBe('auto');

    // Gemini CLI sends the call back with its own `<name>__<id>` id, and the answer with the same.
    const second = await gemini('/v1beta/models/oa%2Fgpt-5-mini:generateContent', {
      contents: [
        { role: 'user', parts: [{ text: 'weather in Paris?' }] },
        {
          role: 'model',
          parts: [{ functionCall: { id: 'get_weather__call_fake_1', name: 'get_weather', args: TOOL_ARGS }, thoughtSignature: 'c2ln' }],
        },
        {
          role: 'user',
          parts: [{ functionResponse: { id: 'get_weather__call_fake_1', name: 'get_weather', response: { output: '22 degrees' } } }],
        },
      ],
      tools: [WEATHER_TOOL],
    });
    expect(second.status).toBe(200);
    expect(textOf([await second.json()])).toBe('Tool said: 22 degrees');
    const messages = oa.requests.at(-1)!.body.messages;
    expect(messages.at(-2).tool_calls[0]).toMatchObject({
      id: 'call_fake_1',
      function: { name: 'get_weather', arguments: JSON.stringify(TOOL_ARGS) },
    });
    expect(messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_fake_1', content: '22 degrees' });
  });

  it('pairs calls and responses by name when the client sends no ids (Google SDK style), translated for Anthropic', async () => {
    const res = await gemini('/v1beta/models/an%2Fclaude-sonnet-4-5:generateContent', {
      contents: [
        { role: 'user', parts: [{ text: 'weather?' }] },
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Oslo' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temperature: -3 } } }] },
      ],
      tools: [
        {
          functionDeclarations: [
            { name: 'get_weather', parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } } } },
          ],
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(textOf([await res.json()])).toBe('Tool said: {"temperature":-3}');
    const sent = an.requests.at(-1)!.body.messages;
    const use = sent[1].content.find((b: any) => b.type === 'tool_use');
    expect(sent[2].content[0]).toMatchObject({ type: 'tool_result', tool_use_id: use.id });
  });
});

describe('countTokens and models', () => {
  it('estimates tokens locally as { totalTokens }, for contents or a whole generateContentRequest', async () => {
    const small = await (await gemini('/v1beta/models/gem-openai:countTokens', userText('count me please, all of these words'))).json();
    expect(small.totalTokens).toBeGreaterThan(8);
    expect(small.totalTokens).toBeLessThan(40);
    const wrapped = await (
      await gemini('/v1beta/models/gem-openai:countTokens', {
        generateContentRequest: {
          model: 'models/gem-openai',
          ...userText('count me please, all of these words'),
          systemInstruction: { parts: [{ text: 'You are terse.' }] },
        },
      })
    ).json();
    expect(wrapped.totalTokens).toBeGreaterThan(small.totalTokens);
    const missing = await gemini('/v1beta/models/nope:countTokens', userText('x'));
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toMatchObject({ code: 404, status: 'NOT_FOUND' });
  });

  it('lists routes and provider/model ids as Google models, and gets one by name', async () => {
    const { models } = await (await gemini('/v1beta/models')).json();
    const names = models.map((m: any) => m.name);
    expect(names).toEqual(expect.arrayContaining(['models/gem-openai', 'models/oa/gpt-5-mini', 'models/gm/gemini-2.5-flash']));
    expect(models[0].supportedGenerationMethods).toEqual(['generateContent', 'streamGenerateContent', 'countTokens']);
    const one = await (await gemini('/v1beta/models/oa/gpt-5-mini')).json();
    expect(one).toMatchObject({ name: 'models/oa/gpt-5-mini', displayName: expect.any(String) });
    const missing = await gemini('/v1beta/models/nope');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toMatchObject({ code: 404, status: 'NOT_FOUND' });
  });
});

describe('client token and refusals in Google shape', () => {
  it('accepts the token as x-goog-api-key, ?key= or Bearer on /v1beta/ only; a wrong one is 401 UNAUTHENTICATED', async () => {
    expect((await gemini('/v1beta/models', undefined, { authorization: `Bearer ${h.token}` })).status).toBe(200);
    expect((await gemini(`/v1beta/models?key=${encodeURIComponent(h.token)}`, undefined, {})).status).toBe(200);
    for (const headers of [{ 'x-goog-api-key': 'sbt_wrong' }, {}] as Array<Record<string, string>>) {
      const res = await gemini('/v1beta/models/gem-openai:generateContent', userText('x'), headers);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        error: { code: 401, message: expect.stringContaining('client token'), status: 'UNAUTHENTICATED' },
      });
    }
    const wrongQuery = await gemini('/v1beta/models?key=sbt_wrong', undefined, {});
    expect(wrongQuery.status).toBe(401);
    // Other dialects never read Google's credentials.
    expect((await gemini('/v1/models', undefined, { 'x-goog-api-key': h.token })).status).toBe(401);
    expect((await gemini(`/v1/models?key=${encodeURIComponent(h.token)}`, undefined, {})).status).toBe(401);
    const log = await h.app.services.port.requests(20);
    expect(JSON.stringify(log)).not.toContain(h.token);
    expect(log.every((e) => !e.path?.includes('?'))).toBe(true);
  });

  it('refuses bad bodies, methods, Hosts, Origins and unknown models in Google shape', async () => {
    const notJson = await fetch(`${h.baseUrl}/v1beta/models/gem-openai:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': h.token },
      body: '{"contents":',
    });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    const noContents = await gemini('/v1beta/models/gem-openai:generateContent', { contents: [] });
    expect(noContents.status).toBe(400);
    expect((await noContents.json()).error).toMatchObject({
      code: 400,
      status: 'INVALID_ARGUMENT',
      message: expect.stringContaining('contents'),
    });
    const wrongMethod = await gemini('/v1beta/models/gem-openai:generateContent');
    expect(wrongMethod.status).toBe(405);
    expect((await wrongMethod.json()).error).toMatchObject({ code: 405 });
    const unknown = await gemini('/v1beta/models/nope:generateContent', userText('x'));
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toMatchObject({ code: 404, status: 'NOT_FOUND' });
    const unserved = await gemini('/v1beta/models/gem-openai:embedContent', { content: { parts: [{ text: 'x' }] } });
    expect(unserved.status).toBe(404);
    expect((await unserved.json()).error.status).toBe('NOT_FOUND');
    const port = Number(new URL(h.baseUrl).port);
    const host = await sendRaw(port, '/v1beta/models/gem-openai:generateContent', {
      headers: { host: 'evil.example', 'x-goog-api-key': h.token },
      body: JSON.stringify(userText('x')),
    });
    expect(host.status).toBe(421);
    expect(host.body.error).toMatchObject({ code: 421, message: expect.stringContaining('Host') });
    const origin = await sendRaw(port, '/v1beta/models/gem-openai:generateContent', {
      headers: { origin: 'https://evil.example', 'x-goog-api-key': h.token },
      body: JSON.stringify(userText('x')),
    });
    expect(origin.status).toBe(403);
    expect(origin.body.error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED' });
  });

  it("enforces a token's allow-list on the model in the path (403 PERMISSION_DENIED), and lists only what it may use", async () => {
    const limited = (await h.app.services.tokens.create({ name: 'gemini-limited', allow: ['gem-openai'] })).token;
    const headers = { 'x-goog-api-key': limited };
    for (const path of [
      '/v1beta/models/oa%2Fgpt-5-mini:generateContent',
      '/v1beta/models/an/claude-sonnet-4-5:streamGenerateContent?alt=sse',
      '/v1beta/models/gm%2Fgemini-2.5-flash:countTokens',
    ]) {
      const res = await gemini(path, userText('x'), headers);
      expect(res.status, path).toBe(403);
      expect((await res.json()).error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED' });
    }
    // A `model` in the body does not widen what the path may name.
    const sneaky = await gemini('/v1beta/models/oa%2Fgpt-5-mini:generateContent', { ...userText('x'), model: 'gem-openai' }, headers);
    expect(sneaky.status).toBe(403);
    const ok = await gemini('/v1beta/models/models%2Fgem-openai:generateContent', userText('allowed'), headers);
    expect(ok.status).toBe(200);
    expect((await latestRow()).client).toBe('gemini-limited');
    const { models } = await (await gemini('/v1beta/models', undefined, headers)).json();
    expect(models.map((m: any) => m.name)).toEqual(['models/gem-openai']);
  });
});
