// The chat service keeps every exchange of a stored chat and says what happened: a first request
// that fails keeps its conversation; chat.stop ends a reply early with its usage and cost; tool calls
// come through whole; a passed soft budget is a `warning` event; a conversation keeps its own route,
// system prompt (sent first upstream) and temperature.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatRequest, ChatStreamEvent } from '../../shared/types';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';

let fake: OpenAIFake;
let tools: OpenAIFake;
let h: Harness;

beforeAll(async () => {
  fake = await startOpenAIFake({ reply: 'one two three four five six seven eight', chunks: 8, apiKey: 'k', models: ['m1'] });
  tools = await startOpenAIFake({
    apiKey: 'k',
    models: ['m1'],
    toolCall: { name: 'get_weather', arguments: '{"city":"Paris"}', unprompted: true },
  });
  const provider = (id: string, f: OpenAIFake) => ({
    id,
    kind: 'openai-compatible',
    baseUrl: f.url,
    keys: [{ env: 'K' }],
    models: [{ id: 'm1', price: { input: 1, output: 2 } }],
  });
  h = await startHarness(
    {
      providers: [provider('acme', fake), provider('tools', tools)],
      routes: [{ name: 'main', strategy: 'fallback', targets: [{ provider: 'acme', model: 'm1' }] }],
    },
    { K: 'k' },
  );
});

afterAll(async () => {
  await h?.close();
  await fake?.close();
  await tools?.close();
});

beforeEach(() => fake.fault(null));

async function run(request: ChatRequest, onEvent?: (e: ChatStreamEvent, all: ChatStreamEvent[]) => void): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = [];
  for await (const e of h.app.services.chat.stream(request)) {
    events.push(e);
    onEvent?.(e, events);
  }
  return events;
}

const conversationOf = (events: ChatStreamEvent[]) =>
  (events.find((e) => e.type === 'conversation') as Extract<ChatStreamEvent, { type: 'conversation' }>).conversationId;

describe('chat: what a conversation keeps', () => {
  it('keeps the conversation of a first request that fails before any text, with the error', async () => {
    fake.fault({ status: 400 });
    const events = await run({ model: 'main', messages: [{ role: 'user', content: 'First and failing' }] });
    expect(events.map((e) => e.type)).toEqual(['conversation', 'error']);
    const conv = await h.app.services.conversations.get(conversationOf(events));
    expect(conv).toMatchObject({ title: 'First and failing', model: 'main' });
    expect(conv!.messages.map((m) => [m.role, m.content, m.status])).toEqual([
      ['user', 'First and failing', undefined],
      ['assistant', '', 'error'],
    ]);
    expect(conv!.messages[1]!.error).toBe((events[1] as Extract<ChatStreamEvent, { type: 'error' }>).message);
  });

  it('keeps the route a conversation talks to, its system prompt (sent first) and temperature', async () => {
    const events = await run({
      model: 'main',
      messages: [{ role: 'user', content: 'Hello' }],
      systemPrompt: 'Be brief.',
      temperature: 0.4,
    });
    const sent = fake.requests.at(-1)!.body;
    expect(sent.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hello' },
    ]);
    expect(sent.temperature).toBe(0.4);
    const id = conversationOf(events);
    const conv = await h.app.services.conversations.get(id);
    // The route it was started with, not the provider/model that answered; the prompt is not a message.
    expect(conv).toMatchObject({ model: 'main', systemPrompt: 'Be brief.', temperature: 0.4 });
    expect(conv!.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(conv!.messages[1]!.model).toBe('main');
    expect(conv!.messages[1]!.report).toMatchObject({ provider: 'acme', model: 'm1' });

    // The next request carries the conversation's settings as they are now; without a prompt, none is kept.
    await run({
      model: 'acme/m1',
      conversationId: id,
      messages: [
        { role: 'user', content: 'Hello' },
        { role: 'assistant', content: 'x' },
        { role: 'user', content: 'Again' },
      ],
    });
    expect(await h.app.services.conversations.get(id)).toMatchObject({ model: 'acme/m1' });
    expect((await h.app.services.conversations.get(id))!.systemPrompt).toBeUndefined();
    expect(await h.app.services.conversations.setOptions(id, { model: 'main', systemPrompt: 'Be kind.', temperature: null })).toBe(true);
    const changed = await h.app.services.conversations.get(id);
    expect(changed).toMatchObject({ model: 'main', systemPrompt: 'Be kind.' });
    expect(changed!.temperature).toBeUndefined();
    await expect(h.app.services.conversations.setOptions(id, { temperature: 3 })).rejects.toThrow(/0 to 2/);
    expect(await h.app.services.conversations.setOptions('nope', { model: 'main' })).toBe(false);
  });

  it('ends a reply early on chat.stop and still sends its done, with usage and cost; the reply is kept as stopped', async () => {
    fake.fault({ chunkDelayMs: 60 });
    let received = '';
    const events = await run({ model: 'main', messages: [{ role: 'user', content: 'Count slowly' }], stopId: 'stop-me' }, (e, all) => {
      if (e.type === 'delta') received += e.text;
      if (e.type === 'delta' && all.filter((x) => x.type === 'delta').length === 2) void h.app.services.chat.stop('stop-me');
    });
    const done = events.at(-1) as Extract<ChatStreamEvent, { type: 'done' }>;
    expect(done).toMatchObject({ type: 'done', stopped: true, provider: 'acme', model: 'm1' });
    expect(done.usage.outputTokens).toBeGreaterThan(0);
    expect(done.costUsd).toBeGreaterThan(0);
    expect(received.length).toBeLessThan('one two three four five six seven eight'.length);
    const conv = await h.app.services.conversations.get(done.conversationId!);
    expect(conv!.messages[1]).toMatchObject({ role: 'assistant', content: received, status: 'stopped' });
    expect(conv!.messages[1]!.report?.usage.outputTokens).toBeGreaterThan(0);
    // The id is free again, and an unknown id stops nothing.
    expect(await h.app.services.chat.stop('stop-me')).toBe(false);
  });

  it('sends the tool calls a model made, whole, and keeps them with the reply', async () => {
    const events = await run({ model: 'tools/m1', messages: [{ role: 'user', content: 'Weather?' }] });
    expect(events.filter((e) => e.type === 'tool_call')).toEqual([
      { type: 'tool_call', call: { id: expect.any(String), name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
    const done = events.at(-1) as Extract<ChatStreamEvent, { type: 'done' }>;
    expect(done.type).toBe('done');
    const conv = await h.app.services.conversations.get(done.conversationId!);
    expect(conv!.messages[1]).toMatchObject({
      role: 'assistant',
      content: '',
      toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }],
    });
    expect(conv!.messages[1]!.status).toBeUndefined();
  });

  it('tells the chat when a soft budget is passed (the request still goes through)', async () => {
    await h.app.services.budgets.set([{ name: 'tiny', period: 'monthly', mode: 'soft', usd: 0.000001 }]);
    try {
      await run({ model: 'main', messages: [{ role: 'user', content: 'spend' }], ephemeral: true });
      const events = await run({ model: 'main', messages: [{ role: 'user', content: 'spend more' }], ephemeral: true });
      const warning = events.find((e) => e.type === 'warning') as Extract<ChatStreamEvent, { type: 'warning' }>;
      expect(warning.message).toContain('soft budget "tiny"');
      expect(events.at(-1)).toMatchObject({ type: 'done' });
    } finally {
      await h.app.services.budgets.set([]);
    }
  });
});
