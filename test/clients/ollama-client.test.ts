// The `ollama` npm client (the official JavaScript library) against the port's Ollama dialect,
// configured from its setup guide (the token in the host's path): chat streamed and not with a tool
// round trip (to an Ollama target and translated for an OpenAI-compatible one), generate streamed and
// not, embed and the legacy embeddings, ps, list and show, through failover routes whose first target
// answers 503, and the spend attributed to its token. A library, so it runs in this process.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ollama, type ChatResponse, type GenerateResponse, type Message, type Tool } from 'ollama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOllamaFake, type OllamaFake } from '../fakes/ollama-fake';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { THOUGHT, TOOL_ARGS } from '../fakes/scenario';
import { startHarness, type Harness } from '../support/engine-harness';
import { GuideMissingError, guideSnippet, ledgerRows, repoRoot, spendByClient, type LedgerRow } from './harness';

const PACKAGE = 'ollama';
const VERSION = (JSON.parse(readFileSync(resolve(repoRoot, 'node_modules', PACKAGE, 'package.json'), 'utf8')) as { version: string })
  .version;
const TOKEN_NAME = 'ollama-js';

const WEATHER: Tool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather in a city',
    parameters: {
      type: 'object',
      required: ['city'],
      properties: { city: { type: 'string', description: 'The city' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
    },
  },
};

let down: OpenAIFake;
let ol: OllamaFake;
let oa: OpenAIFake;
let h: Harness;
let ollama: Ollama;

beforeAll(async () => {
  [down, ol, oa] = await Promise.all([
    startOpenAIFake({ models: ['m-down'], fault: { status: 503 } }),
    startOllamaFake({ models: ['qwen3:8b'] }),
    startOpenAIFake({ scenario: true, apiKey: 'k-oa', models: ['gpt-5-mini', 'text-embedding-3-small'] }),
  ]);
  h = await startHarness(
    {
      providers: [
        { id: 'down', kind: 'openai-compatible', baseUrl: down.url, keys: [{ env: 'K_DOWN' }], models: [{ id: 'm-down' }] },
        {
          id: 'ol',
          kind: 'ollama',
          baseUrl: ol.url,
          models: [{ id: 'qwen3:8b', contextWindow: 40_960, price: { input: 0.1, output: 0.2, cacheRead: 0.01, cacheWrite: 0.1 } }],
        },
        {
          id: 'oa',
          kind: 'openai-compatible',
          baseUrl: oa.url,
          keys: [{ env: 'K_OA' }],
          models: [
            { id: 'gpt-5-mini', price: { input: 1, output: 2, cacheRead: 0.1, cacheWrite: 1 } },
            { id: 'text-embedding-3-small', price: { input: 0.02, output: 0, cacheRead: 0, cacheWrite: 0 } },
          ],
        },
      ],
      routes: [
        {
          name: 'local',
          targets: [
            { provider: 'down', model: 'm-down' },
            { provider: 'ol', model: 'qwen3:8b' },
          ],
        },
        {
          name: 'cloud',
          targets: [
            { provider: 'down', model: 'm-down' },
            { provider: 'oa', model: 'gpt-5-mini' },
          ],
        },
        {
          name: 'vectors',
          targets: [
            { provider: 'down', model: 'm-down' },
            { provider: 'oa', model: 'text-embedding-3-small' },
          ],
        },
      ],
      // The 503 target's breaker stays closed, so every first request shows the failover.
      health: { failureThreshold: 1000 },
    },
    { K_DOWN: 'k-down', K_OA: 'k-oa' },
    TOKEN_NAME,
  );
  // The guide's own line: the host with the token in its path.
  const snippet = guideSnippet('ollama', { baseUrl: h.baseUrl, token: h.token, model: 'local' }, 'JavaScript');
  const host = /host: '([^']+)'/.exec(snippet)?.[1];
  if (!host) throw new GuideMissingError('"ollama" JavaScript snippet with a host');
  ollama = new Ollama({ host });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await Promise.all([down, ol, oa].map((f) => f?.close()));
});

const attempts = (row: LedgerRow) =>
  (JSON.parse(row.attempts) as Array<{ provider: string; status: number }>).map((a) => [a.provider, a.status]);

/** The ledger's rows (flushed first): the count before a test, and what it added after. */
async function rowCount(): Promise<number> {
  await h.app.services.spend.summary({}); // flushes the ledger
  return ledgerRows(h.dataDir).length;
}

async function rowsSince(count: number) {
  await h.app.services.spend.summary({});
  return ledgerRows(h.dataDir).slice(count);
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const parts: T[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

/** The final (done) line's counters and durations, as Ollama sends them. */
function expectDoneFields(done: ChatResponse | GenerateResponse): void {
  expect(done.done).toBe(true);
  expect(done.done_reason).toBe('stop');
  for (const field of [
    'total_duration',
    'load_duration',
    'prompt_eval_count',
    'prompt_eval_duration',
    'eval_count',
    'eval_duration',
  ] as const)
    expect(typeof done[field], field).toBe('number');
  expect(done.prompt_eval_count).toBeGreaterThan(0);
  expect(done.eval_count).toBeGreaterThan(0);
}

describe(`the ollama client (${PACKAGE} ${VERSION}) against the port`, () => {
  it('lists the routes (list, ps) and shows one (show)', async () => {
    const names = (await ollama.list()).models.map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['local', 'cloud', 'vectors']));
    const running = await ollama.ps();
    expect(running.models.map((m) => m.name)).toEqual(expect.arrayContaining(['local', 'cloud', 'vectors']));
    for (const m of running.models) expect(new Date(m.expires_at).getTime()).toBeGreaterThan(Date.now());
    const shown = await ollama.show({ model: 'local' });
    expect(shown.capabilities).toEqual(expect.arrayContaining(['completion', 'tools']));
    expect(shown.model_info).toMatchObject({ 'switchboard.context_length': 40_960 });
  });

  it('chat, not streamed: a tool call and its result through a failover route to an Ollama target', async () => {
    const before = await rowCount();
    const messages: Message[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await ollama.chat({ model: 'local', messages, tools: [WEATHER] });
    expect(first.model).toBe('local');
    expect(first.message.tool_calls).toEqual([{ function: { name: 'get_weather', arguments: TOOL_ARGS } }]);
    expectDoneFields(first);
    messages.push(first.message, { role: 'tool', content: '18 degrees and sunny', tool_name: 'get_weather' });
    const second = await ollama.chat({ model: 'local', messages, tools: [WEATHER] });
    expect(second.message.content).toBe('Tool said: 18 degrees and sunny');
    // The upstream Ollama got the call and its result back as Ollama messages.
    const sent = ol.requests.at(-1)!.body.messages as any[];
    expect(sent.find((m) => m.role === 'assistant').tool_calls[0].function).toEqual({ name: 'get_weather', arguments: TOOL_ARGS });
    expect(sent.at(-1)).toMatchObject({ role: 'tool', content: '18 degrees and sunny', tool_name: 'get_weather' });
    const rows = await rowsSince(before);
    expect(rows.map((r) => [r.route, r.provider, r.status])).toEqual([
      ['local', 'ol', 'ok'],
      ['local', 'ol', 'ok'],
    ]);
    expect(attempts(rows[0]!)).toEqual([
      ['down', 503],
      ['ol', 200],
    ]);
  });

  it('chat, streamed: a tool call and its result translated for an OpenAI-compatible target', async () => {
    const before = await rowCount();
    const messages: Message[] = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Paris?' },
    ];
    const parts = await collect(await ollama.chat({ model: 'cloud', messages, tools: [WEATHER], stream: true }));
    const calls = parts.flatMap((p) => p.message.tool_calls ?? []);
    expect(calls).toEqual([{ function: { name: 'get_weather', arguments: TOOL_ARGS } }]);
    expect(parts.slice(0, -1).every((p) => !p.done)).toBe(true);
    expectDoneFields(parts.at(-1)!);
    messages.push(
      { role: 'assistant', content: '', tool_calls: calls },
      { role: 'tool', content: '18 degrees and sunny', tool_name: 'get_weather' },
    );
    const answer = await collect(await ollama.chat({ model: 'cloud', messages, tools: [WEATHER], stream: true }));
    expect(answer.map((p) => p.message.content).join('')).toBe('Tool said: 18 degrees and sunny');
    // OpenAI pairs a result with its call by id: the port made one up and used it on both sides.
    const sent = oa.requests.at(-1)!.body.messages as any[];
    const call = sent.find((m) => m.role === 'assistant').tool_calls[0];
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual(TOOL_ARGS);
    expect(sent.at(-1)).toEqual({ role: 'tool', tool_call_id: call.id, content: '18 degrees and sunny' });
    expect(sent[0]).toEqual({ role: 'system', content: 'Be brief.' });
    const rows = await rowsSince(before);
    expect(rows.map((r) => [r.route, r.provider, r.status])).toEqual([
      ['cloud', 'oa', 'ok'],
      ['cloud', 'oa', 'ok'],
    ]);
    expect(attempts(rows[0]!)).toEqual([
      ['down', 503],
      ['oa', 200],
    ]);
  });

  it("generate, not streamed: a system prompt and the prompt as one turn, answered in generate's shape", async () => {
    const before = await rowCount();
    const r = await ollama.generate({
      model: 'local',
      prompt: 'Why is the sky blue?',
      system: 'Answer in one line.',
      options: { temperature: 0.2, num_predict: 64 },
    });
    expect(r.model).toBe('local');
    expect(r.response).toBe('Echo: Why is the sky blue?');
    expect(r.context).toEqual([]);
    expectDoneFields(r);
    const sent = ol.requests.at(-1)!.body;
    expect(sent.messages).toEqual([
      { role: 'system', content: 'Answer in one line.' },
      { role: 'user', content: 'Why is the sky blue?' },
    ]);
    expect(sent.options).toMatchObject({ temperature: 0.2, num_predict: 64 });
    const rows = await rowsSince(before);
    expect(rows.map((r) => [r.route, r.provider, r.status])).toEqual([['local', 'ol', 'ok']]);
    expect(attempts(rows[0]!)).toEqual([
      ['down', 503],
      ['ol', 200],
    ]);
  });

  it('generate, streamed, with thinking: response and thinking lines, then a done line with its context and counters', async () => {
    const parts = await collect(await ollama.generate({ model: 'local', prompt: 'Count to three', think: true, stream: true }));
    expect(parts.map((p) => p.response).join('')).toBe('Echo: Count to three');
    expect(parts.map((p) => p.thinking ?? '').join('')).toBe(THOUGHT);
    expect(parts.slice(0, -1).every((p) => !p.done && p.model === 'local')).toBe(true);
    const done = parts.at(-1)!;
    expect(done.context).toEqual([]);
    expectDoneFields(done);
    expect(ol.requests.at(-1)!.body.think).toBeTruthy();
  });

  it('embed and the legacy embeddings, through a failover route to an OpenAI-compatible embeddings model', async () => {
    const before = await rowCount();
    const many = await ollama.embed({ model: 'vectors', input: ['first text', 'second text'] });
    expect(many.model).toBe('vectors');
    expect(many.embeddings).toHaveLength(2);
    for (const v of many.embeddings) expect(v.length).toBe(8);
    expect(many.embeddings[0]).not.toEqual(many.embeddings[1]);
    expect(many.prompt_eval_count).toBe(4);
    const one = await ollama.embed({ model: 'vectors', input: 'first text' });
    expect(one.embeddings).toEqual([many.embeddings[0]]);
    const legacy = await ollama.embeddings({ model: 'vectors', prompt: 'first text' });
    expect(legacy.embedding).toEqual(many.embeddings[0]);
    const rows = await rowsSince(before);
    expect(rows.map((r) => [r.route, r.provider, r.status])).toEqual([
      ['vectors', 'oa', 'ok'],
      ['vectors', 'oa', 'ok'],
      ['vectors', 'oa', 'ok'],
    ]);
    expect(attempts(rows[0]!)).toEqual([
      ['down', 503],
      ['oa', 200],
    ]);
  });

  it("reports an unknown model and a refused field in Ollama's error shape (the client throws with the message)", async () => {
    await expect(ollama.chat({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({
      status_code: 404,
    });
    await expect(ollama.generate({ model: 'local', prompt: 'def f(', suffix: '    return x' })).rejects.toThrow(/does not support insert/);
  });

  it('takes the token as a Bearer header on the plain port too, as the guide says', async () => {
    const withHeader = new Ollama({ host: h.baseUrl, headers: { Authorization: `Bearer ${h.token}` } });
    expect((await withHeader.generate({ model: 'local', prompt: 'hi' })).response).toBe('Echo: hi');
    await expect(new Ollama({ host: h.baseUrl }).list()).rejects.toMatchObject({ status_code: 401 });
  });

  it('is attributed to its own token in `switchboard spend --by client --json`', async () => {
    await h.app.services.spend.summary({});
    const spend = await spendByClient(h.dataDir);
    expect(spend.groups.map((g) => g.key)).toEqual([TOKEN_NAME]);
    const group = spend.groups[0]!;
    expect(group.requests).toBe(ledgerRows(h.dataDir).length);
    expect(group.requests).toBe(10);
    expect(group.costUsd).toBeGreaterThan(0);
    // Only the two requests this suite meant to fail were not served.
    const failed = (await h.app.services.port.requests(500)).filter((e) => e.status !== 'ok');
    expect(failed.map((e) => e.httpStatus).sort()).toEqual([400, 401, 404].sort());
  });
});
