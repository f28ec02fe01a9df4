// A chat reply the user stops is kept with the text it had, in a conversation the app learns of before
// the reply ends (so the next turn continues it); a reply that fails mid-stream is kept too, marked
// failed with its error and the text that had arrived (the chat shows it with Retry).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatStreamEvent } from '../../shared/types';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';

let fake: OpenAIFake;
let h: Harness;

beforeAll(async () => {
  fake = await startOpenAIFake({ reply: 'one two three four five six seven eight', chunks: 8, apiKey: 'k', models: ['m1'] });
  h = await startHarness(
    { providers: [{ id: 'acme', kind: 'openai-compatible', baseUrl: fake.url, keys: [{ env: 'K' }], models: [{ id: 'm1' }] }] },
    { K: 'k' },
  );
});

afterAll(async () => {
  await h?.close();
  await fake?.close();
});

beforeEach(() => {
  fake.fault(null);
});

describe('chat: stopped and failed replies', () => {
  it('keeps a stopped reply with the text it had, in the conversation announced before the first text', async () => {
    fake.fault({ chunkDelayMs: 80 });
    const stop = new AbortController();
    const events: ChatStreamEvent[] = [];
    let received = '';
    for await (const e of h.app.services.chat.stream(
      { model: 'acme/m1', messages: [{ role: 'user', content: 'Count for me' }] },
      stop.signal,
    )) {
      events.push(e);
      if (e.type === 'delta') received += e.text;
      if (events.filter((x) => x.type === 'delta').length === 3) {
        stop.abort();
        break;
      }
    }
    expect(events[0]).toEqual({ type: 'conversation', conversationId: expect.any(String) });
    expect(events.some((e) => e.type === 'done')).toBe(false);
    const id = (events[0] as Extract<ChatStreamEvent, { type: 'conversation' }>).conversationId;
    const conv = await h.app.services.conversations.get(id);
    expect(conv!.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Count for me'],
      ['assistant', received],
    ]);
    // Three of the eight chunks: a true prefix of the whole reply.
    expect(received.length).toBeGreaterThan(0);
    expect('one two three four five six seven eight'.startsWith(received)).toBe(true);
    expect(received.length).toBeLessThan('one two three four five six seven eight'.length);
    expect(conv!.messages[1]!.model).toBe('acme/m1');

    // The next turn continues the same conversation with the stopped text as context.
    fake.fault(null);
    const next: ChatStreamEvent[] = [];
    const messages = [
      { role: 'user' as const, content: 'Count for me' },
      { role: 'assistant' as const, content: received },
      { role: 'user' as const, content: 'Go on' },
    ];
    for await (const e of h.app.services.chat.stream({ model: 'acme/m1', messages, conversationId: id })) next.push(e);
    expect(next[0]).toEqual({ type: 'conversation', conversationId: id });
    expect(next.at(-1)).toMatchObject({ type: 'done', conversationId: id });
    const after = await h.app.services.conversations.get(id);
    expect(after!.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(after!.messages[3]!.content).toBe('one two three four five six seven eight');
    // The stopped request is in the ledger as cancelled, with the tokens it produced.
    const rows = await h.app.services.spend.requests({ source: 'chat', limit: 10 });
    expect(rows.map((r) => r.status).sort()).toEqual(['cancelled', 'ok']);
  });

  it('keeps the reply too when the stop arrives as an abort while the stream is read (as the app bridges do)', async () => {
    fake.fault({ chunkDelayMs: 80 });
    const stop = new AbortController();
    const events: ChatStreamEvent[] = [];
    let received = '';
    // Keep reading after the abort: the stream ends by itself, as it does behind IPC and HTTP.
    for await (const e of h.app.services.chat.stream(
      { model: 'acme/m1', messages: [{ role: 'user', content: 'Abort me' }] },
      stop.signal,
    )) {
      events.push(e);
      if (e.type === 'delta') received += e.text;
      if (events.filter((x) => x.type === 'delta').length === 2) stop.abort();
    }
    expect(events.some((e) => e.type === 'done' || e.type === 'error')).toBe(false);
    const id = (events[0] as Extract<ChatStreamEvent, { type: 'conversation' }>).conversationId;
    const conv = await h.app.services.conversations.get(id);
    expect(conv!.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Abort me'],
      ['assistant', received],
    ]);
  });

  it('keeps a reply that failed mid-stream, marked failed with its error and the text that arrived', async () => {
    fake.fault({ afterChunks: 2 });
    const events: ChatStreamEvent[] = [];
    let received = '';
    for await (const e of h.app.services.chat.stream({ model: 'acme/m1', messages: [{ role: 'user', content: 'Fail please' }] })) {
      events.push(e);
      if (e.type === 'delta') received += e.text;
    }
    const error = events.at(-1) as Extract<ChatStreamEvent, { type: 'error' }>;
    expect(error).toMatchObject({ type: 'error', message: expect.stringContaining('failed mid-stream') });
    const id = (events[0] as Extract<ChatStreamEvent, { type: 'conversation' }>).conversationId;
    const conv = await h.app.services.conversations.get(id);
    expect(conv!.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Fail please'],
      ['assistant', received],
    ]);
    expect(conv!.messages[1]).toMatchObject({ status: 'error', error: error.message });
  });

  it('keeps the images of a user turn, so the chat reopens with them', async () => {
    const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const events: ChatStreamEvent[] = [];
    const content = [
      { type: 'text' as const, text: 'What colour is this?' },
      { type: 'image_url' as const, image_url: { url: png } },
    ];
    for await (const e of h.app.services.chat.stream({ model: 'acme/m1', messages: [{ role: 'user', content }] })) events.push(e);
    const id = (events.at(-1) as Extract<ChatStreamEvent, { type: 'done' }>).conversationId!;
    const conv = await h.app.services.conversations.get(id);
    expect(conv!.title).toBe('What colour is this?');
    expect(conv!.messages[0]).toMatchObject({ role: 'user', content: 'What colour is this?', images: [png] });
    // The upstream saw the image too (the fake records the request as sent).
    expect(JSON.stringify(fake.requests.at(-1)!.body.messages)).toContain(png);
  });

  it('stores nothing for ephemeral requests (compare, route tests)', async () => {
    const before = (await h.app.services.conversations.list()).length;
    const events: ChatStreamEvent[] = [];
    for await (const e of h.app.services.chat.stream({
      model: 'acme/m1',
      messages: [{ role: 'user', content: 'Just testing' }],
      ephemeral: true,
    }))
      events.push(e);
    expect(events.some((e) => e.type === 'conversation')).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: 'done' });
    expect((await h.app.services.conversations.list()).length).toBe(before);
  });
});
