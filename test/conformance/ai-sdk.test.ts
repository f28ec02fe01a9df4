// `ai` with `@ai-sdk/openai-compatible` against the port: generateText, streamText, a tool call and embed.
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { embed, generateText, jsonSchema, streamText, tool } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeEmbedding } from '../fakes/openai-fake-extras';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';

const REPLY = 'The AI SDK hears the port.';
let up: OpenAIFake;
let h: Harness;
let provider: ReturnType<typeof createOpenAICompatible>;

beforeAll(async () => {
  up = await startOpenAIFake({
    reply: REPLY,
    chunks: 3,
    apiKey: 'k',
    models: ['m1', 'e1'],
    toolCall: { name: 'lookup', arguments: '{"q":"port"}' },
  });
  h = await startHarness(
    {
      providers: [
        { id: 'up', kind: 'openai-compatible', baseUrl: up.url, keys: [{ env: 'UP_KEY' }], models: [{ id: 'm1' }, { id: 'e1' }] },
      ],
      routes: [{ name: 'fast', targets: [{ provider: 'up', model: 'm1' }] }],
    },
    { UP_KEY: 'k' },
    'ai-sdk',
  );
  provider = createOpenAICompatible({ name: 'switchboard', baseURL: `${h.baseUrl}/v1`, apiKey: h.token, includeUsage: true });
});

afterAll(async () => {
  await h?.close();
  await up?.close();
});

describe('ai + @ai-sdk/openai-compatible through the port', () => {
  it('generates text with usage', async () => {
    const r = await generateText({ model: provider('fast'), prompt: 'hi', maxRetries: 0 });
    expect(r.text).toBe(REPLY);
    expect(r.usage.outputTokens).toBeGreaterThan(0);
  });

  it('streams text', async () => {
    const r = streamText({ model: provider('up/m1'), prompt: 'hi', maxRetries: 0 });
    let text = '';
    for await (const part of r.textStream) text += part;
    expect(text).toBe(REPLY);
    expect((await r.usage).inputTokens).toBeGreaterThan(0);
  });

  it('calls a tool and sends its result back', async () => {
    let seen: unknown;
    const r = await generateText({
      model: provider('fast'),
      prompt: 'look it up',
      maxRetries: 0,
      tools: {
        lookup: tool({
          description: 'Look something up',
          inputSchema: jsonSchema<{ q: string }>({ type: 'object', properties: { q: { type: 'string' } }, required: ['q'] }),
          execute: async (input) => ((seen = input), 'found'),
        }),
      },
      stopWhen: ({ steps }) => steps.length >= 2,
    });
    expect(seen).toEqual({ q: 'port' });
    expect(r.text).toBe(REPLY);
    expect(up.requests.at(-1)!.body.messages.at(-1)).toMatchObject({ role: 'tool', content: expect.stringContaining('found') });
  });

  it('embeds', async () => {
    const r = await embed({ model: provider.embeddingModel('up/e1'), value: 'alpha', maxRetries: 0 });
    const expected = fakeEmbedding('alpha', 8);
    r.embedding.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
  });
});
