// The chat screen's service against translated upstreams: asking for reasoning reaches an Anthropic or
// Gemini model in its own terms, and the thinking it sends back arrives as `reasoning` events ahead of
// the reply, with the cost of the thought tokens in the done event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatStreamEvent } from '../../shared/types';
import { startAnthropicFake, type AnthropicFake } from '../fakes/anthropic-fake';
import { startGeminiFake, type GeminiFake } from '../fakes/gemini-fake';
import { THOUGHT } from '../fakes/scenario';
import { startHarness, type Harness } from '../support/engine-harness';

let an: AnthropicFake;
let gm: GeminiFake;
let h: Harness;

beforeAll(async () => {
  an = await startAnthropicFake({ apiKey: 'k-an' });
  gm = await startGeminiFake({ apiKey: 'k-gm', models: ['gemini-2.5-flash'] });
  const price = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };
  h = await startHarness(
    {
      providers: [
        { id: 'an', kind: 'anthropic', baseUrl: an.url, keys: [{ env: 'AN_KEY' }], models: [{ id: 'claude-sonnet-4-5', price }] },
        { id: 'gm', kind: 'gemini', baseUrl: gm.url, keys: [{ env: 'GM_KEY' }], models: [{ id: 'gemini-2.5-flash', price }] },
      ],
      routes: [],
    },
    { AN_KEY: 'k-an', GM_KEY: 'k-gm' },
  );
});

afterAll(async () => {
  await h?.close();
  await an?.close();
  await gm?.close();
});

async function collect(model: string): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = [];
  for await (const e of h.app.services.chat.stream({
    model,
    messages: [{ role: 'user', content: 'why is the sky blue' }],
    maxTokens: 4096,
    reasoningEffort: 'low',
    ephemeral: true,
  }))
    events.push(e);
  return events;
}

describe('chat reasoning through translated providers', () => {
  for (const model of ['an/claude-sonnet-4-5', 'gm/gemini-2.5-flash']) {
    it(`shows ${model}'s thinking before its reply`, async () => {
      const events = await collect(model);
      const reasoning = events
        .filter((e) => e.type === 'reasoning')
        .map((e) => (e as { text: string }).text)
        .join('');
      const reply = events
        .filter((e) => e.type === 'delta')
        .map((e) => (e as { text: string }).text)
        .join('');
      expect(reasoning).toBe(THOUGHT);
      expect(reply).toBe('Echo: why is the sky blue');
      expect(events.findIndex((e) => e.type === 'reasoning')).toBeLessThan(events.findIndex((e) => e.type === 'delta'));
      const done = events.at(-1);
      expect(done).toMatchObject({ type: 'done', provider: model.split('/')[0] });
      expect((done as { costUsd: number }).costUsd).toBeGreaterThan(0);
    });
  }
});
