// The translation matrix: 4 client dialects (official SDKs; raw fetch for Gemini) x 6 upstream protocols (fakes), each with
// plain text, a streamed tool call and its result turn, an image, and reasoning where the pair can
// carry it; usage as each client sees it and the ledger's tokens and cost, with every vendor's traps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicFake, type AnthropicFake } from '../fakes/anthropic-fake';
import { startAzureFake, type AzureFake } from '../fakes/azure-fake';
import { startGeminiFake, type GeminiFake } from '../fakes/gemini-fake';
import { startOllamaFake, type OllamaFake } from '../fakes/ollama-fake';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { THOUGHT, TOOL_ARGS } from '../fakes/scenario';
import { startHarness, type Harness } from '../support/engine-harness';
import { anthropicDriver, geminiDriver, ollamaDriver, openaiDriver, type Driver, type Received } from './matrix-drivers';
import { openLedgerReader } from './ledger-reader';

// A 1x1 PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const PNG_BYTES = Buffer.from(PNG, 'base64').length;
const PRICE = { input: 1, output: 2, cacheRead: 0.5, cacheWrite: 1.25 };

/** What each upstream reports, normalised: uncached input, cache reads/writes, output, reasoning. */
interface Expect {
  model: string;
  input: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
  reasoning: number;
  showsThinking: boolean;
  imageType: string;
}
const openaiLike = { input: 100, cacheRead: 40, cacheWrite: 0, output: 20, reasoning: 5, imageType: 'image/png' };
const PROTOCOLS: Record<string, Expect> = {
  openai: { model: 'oa/gpt-5-mini', ...openaiLike, showsThinking: false },
  'openai-compatible': { model: 'deepseek/deepseek-reasoner', ...openaiLike, showsThinking: true },
  anthropic: {
    model: 'an/claude-sonnet-4-5',
    input: 100,
    cacheRead: 40,
    cacheWrite: 10,
    output: 20,
    reasoning: 0,
    showsThinking: true,
    imageType: 'image/png',
  },
  gemini: {
    model: 'gm/gemini-3-flash-preview',
    input: 100,
    cacheRead: 40,
    cacheWrite: 0,
    output: 20,
    reasoning: 5,
    showsThinking: true,
    imageType: 'image/png',
  },
  ollama: {
    model: 'ol/llama3.2',
    input: 100,
    cacheRead: 0,
    cacheWrite: 0,
    output: 20,
    reasoning: 0,
    showsThinking: true,
    imageType: 'base64',
  },
  'azure-openai': { model: 'az/gpt-4o-deploy', ...openaiLike, showsThinking: false },
};

let oa: OpenAIFake;
let ds: OpenAIFake;
let an: AnthropicFake;
let gm: GeminiFake;
let ol: OllamaFake;
let az: AzureFake;
let h: Harness;
const drivers: Record<string, Driver> = {};

beforeAll(async () => {
  [oa, ds, an, gm, ol, az] = await Promise.all([
    startOpenAIFake({ scenario: true, apiKey: 'k-oa', models: ['gpt-5-mini'], reasoningModel: true }),
    startOpenAIFake({ scenario: true, apiKey: 'k-ds', models: ['deepseek-reasoner'], reasoningField: 'reasoning_content' }),
    startAnthropicFake({ apiKey: 'k-an', models: ['claude-sonnet-4-5'] }),
    startGeminiFake({ apiKey: 'k-gm', models: ['gemini-3-flash-preview'] }),
    startOllamaFake({ models: ['llama3.2'] }),
    startAzureFake({ apiKey: 'k-az', deployments: ['gpt-4o-deploy'], reasoningModel: true }),
  ]);
  const model = (id: string) => [{ id, price: PRICE }];
  h = await startHarness(
    {
      providers: [
        { id: 'oa', kind: 'openai', baseUrl: oa.url, keys: [{ env: 'K_OA' }], models: model('gpt-5-mini') },
        { id: 'deepseek', kind: 'openai-compatible', baseUrl: ds.url, keys: [{ env: 'K_DS' }], models: model('deepseek-reasoner') },
        { id: 'an', kind: 'anthropic', baseUrl: an.url, keys: [{ env: 'K_AN' }], models: model('claude-sonnet-4-5') },
        { id: 'gm', kind: 'gemini', baseUrl: gm.url, keys: [{ env: 'K_GM' }], models: model('gemini-3-flash-preview') },
        { id: 'ol', kind: 'ollama', baseUrl: ol.url, models: model('llama3.2') },
        {
          id: 'az',
          kind: 'azure-openai',
          baseUrl: `${az.endpoint}?api-version=2024-10-21`,
          keys: [{ env: 'K_AZ' }],
          models: model('gpt-4o-deploy'),
        },
      ],
      routes: [],
    },
    { K_OA: 'k-oa', K_DS: 'k-ds', K_AN: 'k-an', K_GM: 'k-gm', K_AZ: 'k-az' },
  );
  drivers.openai = openaiDriver(h.baseUrl, h.token);
  drivers.anthropic = anthropicDriver(h.baseUrl, h.token);
  drivers.ollama = ollamaDriver(h.baseUrl, h.token);
  drivers.gemini = geminiDriver(h.baseUrl, h.token);
});

afterAll(async () => {
  await h?.close();
  await Promise.all([oa, ds, an, gm, ol, az].map((f) => f?.close()));
});

async function latestRow() {
  await h.app.services.spend.summary({}); // flushes queued rows
  return openLedgerReader(h.dataDir).latest();
}

/** Usage as the client dialect must show it, derived from the upstream's normalised numbers. */
function expectClientUsage(client: string, got: Received, e: Expect): void {
  const totalIn = e.input + e.cacheRead + e.cacheWrite;
  if (client === 'openai')
    expect(got.usage).toMatchObject({ prompt: totalIn, completion: e.output, cached: e.cacheRead, reasoning: e.reasoning });
  if (client === 'anthropic')
    expect(got.usage).toEqual({ input: e.input, output: e.output, cacheRead: e.cacheRead, cacheWrite: e.cacheWrite });
  if (client === 'ollama') expect(got.usage).toEqual({ prompt: totalIn, eval: e.output });
  if (client === 'gemini')
    expect(got.usage).toEqual({ prompt: totalIn, candidates: e.output - e.reasoning, thoughts: e.reasoning, cached: e.cacheRead });
}

async function expectLedger(e: Expect): Promise<void> {
  const row = await latestRow();
  expect(row.status).toBe('ok');
  expect(`${row.provider}/${row.model}`).toBe(e.model);
  expect(row.input_tokens).toBe(e.input + e.cacheRead + e.cacheWrite);
  expect(row.output_tokens).toBe(e.output);
  const cost = (e.input * PRICE.input + e.output * PRICE.output + e.cacheRead * PRICE.cacheRead + e.cacheWrite * PRICE.cacheWrite) / 1e6;
  expect(row.cost_usd).toBeCloseTo(cost, 12);
}

/** Whether the last request each fake received asked for reasoning, in that protocol's terms. */
function askedToThink(protocol: string): boolean {
  const last = (f: { requests: Array<{ body: any }> }) => f.requests.at(-1)!.body;
  switch (protocol) {
    case 'openai':
      return ['low', 'medium', 'high'].includes(last(oa).reasoning_effort);
    case 'openai-compatible':
      return ['low', 'medium', 'high'].includes(last(ds).reasoning_effort);
    case 'azure-openai':
      return ['low', 'medium', 'high'].includes(last(az).reasoning_effort);
    case 'anthropic':
      return last(an).thinking?.type === 'enabled' && last(an).thinking.budget_tokens >= 1024;
    case 'gemini':
      return last(gm).generationConfig?.thinkingConfig?.thinkingBudget > 0;
    default:
      return last(ol).think !== undefined && last(ol).think !== false;
  }
}

const CLIENTS = ['openai', 'anthropic', 'ollama', 'gemini'] as const;

describe.each(CLIENTS)('%s client', (client) => {
  describe.each(Object.keys(PROTOCOLS))('-> %s upstream', (protocol) => {
    const e = PROTOCOLS[protocol]!;

    it('plain text, with usage and cost', async () => {
      const got = await drivers[client]!(e.model, { user: 'hello matrix' });
      expect(got.text).toBe('Echo: hello matrix');
      expect(got.toolCalls).toEqual([]);
      expectClientUsage(client, got, e);
      await expectLedger(e);
    });

    it('a streamed tool call, then its result turn', async () => {
      const call = await drivers[client]!(e.model, { user: 'weather in Paris?', tools: true });
      expect(call.text).toBe('');
      expect(call.toolCalls).toHaveLength(1);
      expect(call.toolCalls[0]).toMatchObject({ name: 'get_weather', args: TOOL_ARGS });
      if (client !== 'ollama') expect(call.toolCalls[0]!.id).toBeTruthy();
      expect(call.finish).toBe({ openai: 'tool_calls', anthropic: 'tool_use', ollama: 'stop', gemini: 'STOP' }[client]);
      await expectLedger(e);
      const id = call.toolCalls[0]!.id || 'call_0';
      const answer = await drivers[client]!(e.model, {
        user: 'weather in Paris?',
        toolResult: { id, name: 'get_weather', args: TOOL_ARGS, result: '22 °C and sunny' },
      });
      expect(answer.text).toBe('Tool said: 22 °C and sunny');
      expect(answer.toolCalls).toEqual([]);
      await expectLedger(e);
    });

    it('an image input', async () => {
      const got = await drivers[client]!(e.model, { user: 'what is this?', image: PNG });
      expect(got.text).toBe(`I see a ${e.imageType} image of ${PNG_BYTES} bytes.`);
      await expectLedger(e);
    });

    it('reasoning', async () => {
      const got = await drivers[client]!(e.model, { user: 'think first', think: true });
      expect(got.text).toBe('Echo: think first');
      // Where the upstream shows its thinking, every client dialect receives it; OpenAI's own API only counts it.
      expect(got.reasoning).toBe(e.showsThinking ? THOUGHT : '');
      // Every upstream was asked to think, in its own words.
      expect(askedToThink(protocol)).toBe(true);
      expectClientUsage(client, got, e);
      await expectLedger(e);
    });

    it('a non-streaming request', async () => {
      const got = await drivers[client]!(e.model, { user: 'no stream', stream: false, tools: false });
      expect(got.text).toBe('Echo: no stream');
      expectClientUsage(client, got, e);
      await expectLedger(e);
    });
  });
});
