// The official `openai` SDK against the port beyond plain chat: tools (JSON and streamed), models,
// embeddings, legacy completions (fill-in-the-middle), and the Responses API (text, streaming,
// function tools) translated onto chat upstreams.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeEmbedding } from '../fakes/openai-fake-extras';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';

const REPLY = 'Port says hello in parts.';
const WEATHER = { name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' };
const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string' } }, required: ['city'] },
  },
};
let up: OpenAIFake;
let h: Harness;
let client: OpenAI;

beforeAll(async () => {
  up = await startOpenAIFake({ reply: REPLY, chunks: 4, apiKey: 'up-secret', models: ['m1', 'embed-1'], toolCall: WEATHER });
  h = await startHarness(
    {
      providers: [
        {
          id: 'up',
          kind: 'openai-compatible',
          baseUrl: up.url,
          keys: [{ env: 'UP_KEY' }],
          models: [
            { id: 'm1', price: { input: 1, output: 2 } },
            { id: 'embed-1', price: { input: 0.1 } },
          ],
        },
      ],
      routes: [
        { name: 'default', targets: [{ provider: 'up', model: 'm1' }] },
        { name: 'embed', targets: [{ provider: 'up', model: 'embed-1' }] },
      ],
    },
    { UP_KEY: 'up-secret' },
  );
  client = new OpenAI({ baseURL: `${h.baseUrl}/v1`, apiKey: h.token, maxRetries: 0 });
});

afterAll(async () => {
  await h?.close();
  await up?.close();
});

describe('openai SDK: chat with tools, models, embeddings', () => {
  it('returns a tool call and then answers the tool result', async () => {
    const first = await client.chat.completions.create({
      model: 'default',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool],
    });
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    expect(call.type === 'function' && call.function.name).toBe('get_weather');
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Paris', unit: 'c' });
    expect(up.requests.at(-1)!.body.tools[0].function.name).toBe('get_weather');
    const second = await client.chat.completions.create({
      model: 'default',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        first.choices[0]!.message,
        { role: 'tool', tool_call_id: call.id, content: '21C' },
      ],
      tools: [weatherTool],
    });
    expect(second.choices[0]!.message.content).toBe(REPLY);
  });

  it('streams a tool call whose arguments arrive in pieces', async () => {
    const stream = client.chat.completions.stream({
      model: 'default',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [weatherTool],
    });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && call.function.arguments).toBe(WEATHER.arguments);
  });

  it('lists routes and provider/model ids', async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(expect.arrayContaining(['default', 'embed', 'up/m1', 'up/embed-1']));
  });

  it('retrieves one model, provider/model ids included, and 404s an unknown one in its error shape', async () => {
    expect(await client.models.retrieve('default')).toMatchObject({ id: 'default', object: 'model', owned_by: 'switchboard' });
    expect(await client.models.retrieve('up/m1')).toMatchObject({ id: 'up/m1', object: 'model', owned_by: 'up' });
    const error = await client.models.retrieve('nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
  });

  it("shows a token with an allow-list only the models it may use, in every dialect's list", async () => {
    const { token } = await h.app.services.tokens.create({ name: 'only-default', allow: ['default'] });
    const limited = new OpenAI({ baseURL: `${h.baseUrl}/v1`, apiKey: token, maxRetries: 0 });
    const ids: string[] = [];
    for await (const m of limited.models.list()) ids.push(m.id);
    expect(ids).toEqual(['default']);
    await expect(limited.models.retrieve('up/m1')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const tags = (await (await fetch(`${h.baseUrl}/api/tags`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      models: Array<{ name: string }>;
    };
    expect(tags.models.map((m) => m.name)).toEqual(['default']);
    const anthropicList = (await (
      await fetch(`${h.baseUrl}/v1/models`, { headers: { 'x-api-key': token, 'anthropic-version': '2023-06-01' } })
    ).json()) as { data: Array<{ id: string }> };
    expect(anthropicList.data.map((m) => m.id)).toEqual(['default']);
  });

  it("serves legacy completions with a suffix (editors' autocomplete), JSON and streamed, usage in the ledger", async () => {
    const json = await client.completions.create({ model: 'default', prompt: 'function add(a, b) {', suffix: '}', max_tokens: 16 });
    expect(json.object).toBe('text_completion');
    expect(json.choices[0]!.text).toBe(REPLY);
    expect(json.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 4 });
    const upstream = up.requests.at(-1)!;
    expect(upstream.path).toBe('/v1/completions');
    expect(upstream.body).toMatchObject({ model: 'm1', prompt: 'function add(a, b) {', suffix: '}' });

    let text = '';
    let usage: unknown = null;
    const stream = await client.completions.create({
      model: 'up/m1',
      prompt: 'def add(a, b):',
      suffix: '\n',
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const chunk of stream) {
      text += chunk.choices[0]?.text ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(REPLY);
    expect(usage).toMatchObject({ completion_tokens: 4 });
    expect(up.requests.at(-1)!.body.stream_options).toEqual({ include_usage: true });
    // Without include_usage the client does not see the usage-only chunk the port asked for.
    const chunks: Array<{ choices: unknown[] }> = [];
    for await (const chunk of await client.completions.create({ model: 'default', prompt: 'x', stream: true })) chunks.push(chunk);
    expect(chunks.every((c) => c.choices.length > 0)).toBe(true);
    const rows = await h.app.services.spend.requests({ limit: 3 });
    expect(rows.map((r) => [r.status, r.outputTokens])).toEqual([
      ['ok', 4],
      ['ok', 4],
      ['ok', 4],
    ]);
    expect(rows.every((r) => r.costUsd !== null && r.costUsd > 0)).toBe(true);
    // Bad input: the error in OpenAI's shape, nothing sent upstream.
    const sent = up.requests.length;
    await expect(client.completions.create({ model: 'default', prompt: { not: 'a prompt' } as unknown as string })).rejects.toMatchObject({
      status: 400,
    });
    expect(up.requests.length).toBe(sent);
  });

  it('creates embeddings through a route (the SDK asks for base64 and decodes it)', async () => {
    const r = await client.embeddings.create({ model: 'embed', input: ['alpha', 'beta gamma'] });
    expect(r.data).toHaveLength(2);
    const expected = fakeEmbedding('alpha', 8);
    r.data[0]!.embedding.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    expect(r.usage.prompt_tokens).toBe(3);
    const upstream = up.requests.at(-1)!;
    expect(upstream.path).toBe('/v1/embeddings');
    expect(upstream.body.model).toBe('embed-1');
    expect(upstream.headers.authorization).toBe('Bearer up-secret');
  });

  it('answers an embeddings request for a chat-only provider kind with a clear error', async () => {
    await expect(client.embeddings.create({ model: 'nope/x', input: 'a' })).rejects.toMatchObject({ status: 404 });
  });
});

describe('openai SDK: Responses API', () => {
  it('answers text, translated onto the chat upstream, with usage', async () => {
    const r = await client.responses.create({ model: 'default', instructions: 'Be brief.', input: 'Say hello' });
    expect(r.object).toBe('response');
    expect(r.status).toBe('completed');
    expect(r.output_text).toBe(REPLY);
    expect(r.usage!.output_tokens).toBeGreaterThan(0);
    const sent = up.requests.at(-1)!.body;
    expect(sent.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Say hello' },
    ]);
    expect(sent.model).toBe('m1');
  });

  it('streams typed events ending in response.completed', async () => {
    const stream = await client.responses.create({
      model: 'default',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'Stream please' }] }],
      stream: true,
    });
    const types: string[] = [];
    let text = '';
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = event.response;
    }
    expect(text).toBe(REPLY);
    expect(types[0]).toBe('response.created');
    expect(types).toContain('response.output_item.added');
    expect(types.at(-1)).toBe('response.completed');
    expect(
      completed!.output_text ??
        completed!.output
          .map((o) => (o.type === 'message' ? o.content.map((c) => (c.type === 'output_text' ? c.text : '')).join('') : ''))
          .join(''),
    ).toBe(REPLY);
    expect(completed!.usage!.input_tokens).toBeGreaterThan(0);
  });

  it('calls function tools and takes their output back, streaming and not', async () => {
    const tools = [
      {
        type: 'function' as const,
        name: 'get_weather',
        description: 'Weather',
        parameters: weatherTool.function.parameters,
        strict: false,
      },
    ];
    const r = await client.responses.create({ model: 'default', input: 'Weather in Paris?', tools });
    const call = r.output.find((o) => o.type === 'function_call');
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', arguments: WEATHER.arguments });

    const stream = client.responses.stream({ model: 'default', input: 'Weather in Paris?', tools });
    let args = '';
    stream.on('response.function_call_arguments.delta', (e) => (args += e.delta));
    const final = await stream.finalResponse();
    expect(args).toBe(WEATHER.arguments);
    expect(final.output.find((o) => o.type === 'function_call')).toMatchObject({ name: 'get_weather' });

    const answer = await client.responses.create({
      model: 'default',
      tools,
      input: [
        { role: 'user', content: 'Weather in Paris?' },
        { type: 'function_call', call_id: (call as { call_id: string }).call_id, name: 'get_weather', arguments: WEATHER.arguments },
        { type: 'function_call_output', call_id: (call as { call_id: string }).call_id, output: '21C' },
      ],
    });
    expect(answer.output_text).toBe(REPLY);
    const sent = up.requests.at(-1)!.body.messages;
    expect(sent[1]).toMatchObject({ role: 'assistant', tool_calls: [{ function: { name: 'get_weather' } }] });
    expect(sent[2]).toEqual({ role: 'tool', tool_call_id: (call as { call_id: string }).call_id, content: '21C' });
  });

  it('reports an upstream cut mid-stream as an error event, never a clean completion', async () => {
    up.fault({ afterChunks: 2 });
    try {
      const stream = await client.responses.create({ model: 'default', input: 'cut me off', stream: true });
      const types: string[] = [];
      let failure: { message?: string } | undefined;
      for await (const event of stream) {
        types.push(event.type);
        if (event.type === 'error') failure = event;
      }
      expect(types).toContain('response.output_text.delta');
      expect(failure?.message).toMatch(/mid-stream/);
      expect(types.at(-1)).toBe('response.failed');
      expect(types).not.toContain('response.completed');
    } finally {
      up.fault(null);
    }
  });

  it('refuses server-side state with a clear 400', async () => {
    await expect(client.responses.create({ model: 'default', input: 'x', previous_response_id: 'resp_123' })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('previous_response_id'),
    });
  });
});
