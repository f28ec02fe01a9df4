// Providers, keys and routes edited through the contract, against the real engine: a provider
// added from a preset, a key pasted into the real OS keychain (only its masked form comes back,
// and the settings file never holds it), its models listed from the upstream, a route created,
// edited and removed, and bad edits refused with the field named and nothing changed.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';

const id = `cfg${process.pid}${Date.now().toString(36)}`;
const SECRET = 'sk-pasted-0123456789abcdefWXYZ';
let fake: OpenAIFake;
let h: Harness;

beforeAll(async () => {
  fake = await startOpenAIFake({ reply: 'OK', chunks: 1, apiKey: SECRET, models: ['m1', 'm2'] });
  h = await startHarness({ providers: [], routes: [] }, {}, 'cursor');
});

afterAll(async () => {
  try {
    await h?.app.services.keys.remove(id, 'default');
  } catch {
    /* the provider may be gone already */
  }
  await h?.close();
  await fake?.close();
});

describe('config edits through the contract', () => {
  it('lists presets with their base URLs', async () => {
    const presets = await h.app.services.providers.presets();
    expect(presets.find((p) => p.id === 'deepseek')).toMatchObject({
      kind: 'openai-compatible',
      baseUrl: 'https://api.deepseek.com/v1',
      needsBaseUrl: false,
    });
    expect(presets.find((p) => p.kind === 'azure-openai')?.needsBaseUrl).toBe(true);
  });

  it('adds a provider, stores a pasted key masked, lists its models, tests the key', async () => {
    const s = h.app.services;
    await s.providers.add({ id, kind: 'openai-compatible', baseUrl: fake.url, models: [{ id: 'm1', price: { input: 1, output: 2 } }] });
    await expect(s.providers.add({ id, kind: 'openai-compatible', baseUrl: fake.url })).rejects.toThrow(/exists already/);
    await expect(s.providers.add({ id: 'bad id', kind: 'openai' })).rejects.toThrow(/providers\[\d+\]\.id/);
    await expect(s.providers.add({ id: 'noUrl', kind: 'openai-compatible' })).rejects.toThrow(/needs a baseUrl/);

    await expect(s.keys.set(id, 'default', 'short')).rejects.toThrow(/does not look like an API key/);
    const info = await s.keys.set(id, 'default', `  ${SECRET}\n`);
    expect(info).toEqual({ label: 'default', source: 'keychain', masked: 'sk-…WXYZ', present: true });
    expect(JSON.stringify(info)).not.toContain(SECRET);
    const listed = (await s.providers.list()).find((p) => p.id === id)!;
    expect(listed.keys).toEqual([info]);
    expect(readFileSync(`${h.dataDir}/settings.json`, 'utf8')).not.toContain(SECRET);

    expect(await s.providers.models(id)).toEqual(['m1', 'm2']);
    expect(fake.requests.at(-1)?.headers.authorization).toBe(`Bearer ${SECRET}`);
    const tested = await s.keys.test(id, 'default');
    expect(tested).toMatchObject({ ok: true, masked: 'sk-…WXYZ' });

    await s.providers.update(id, { id, kind: 'openai-compatible', baseUrl: fake.url, models: [{ id: 'm1' }, { id: 'm2' }] });
    expect((await s.providers.list()).find((p) => p.id === id)!.keys[0]?.present).toBe(true);
  });

  it('creates, edits and removes a route; refuses unknown providers and leaves the rest unchanged', async () => {
    const s = h.app.services;
    await s.routes.save({ name: 'r1', strategy: 'fallback', targets: [{ provider: id, model: 'm1' }], timeouts: { firstTokenMs: 5000 } });
    let route = (await s.routes.list()).find((r) => r.name === 'r1')!;
    expect(route.timeouts?.firstTokenMs).toBe(5000);
    await s.routes.save(
      {
        name: 'r1b',
        strategy: 'weighted',
        targets: [
          { provider: id, model: 'm2', weight: 3 },
          { provider: id, model: 'm1', weight: 1 },
        ],
      },
      'r1',
    );
    route = (await s.routes.list()).find((r) => r.name === 'r1b')!;
    expect(route).toMatchObject({
      strategy: 'weighted',
      targets: [
        { provider: id, model: 'm2' },
        { provider: id, model: 'm1' },
      ],
    });
    expect((await s.routes.list()).some((r) => r.name === 'r1')).toBe(false);

    await expect(s.routes.save({ name: 'r2', strategy: 'fallback', targets: [{ provider: 'nope', model: 'x' }] })).rejects.toThrow(
      /no provider "nope"/,
    );
    await expect(s.routes.save({ name: 'r2', strategy: 'fallback', targets: [] })).rejects.toThrow(/routes\[\d+\]\.targets/);
    await expect(s.providers.remove(id)).rejects.toThrow(/used by route r1b/);
    expect((await s.routes.list()).map((r) => r.name)).toEqual(['r1b']);

    // A one-click route test: a tiny chat through it, not kept as a conversation.
    const events = [];
    for await (const e of s.chat.stream({
      model: 'r1b',
      messages: [{ role: 'user', content: 'Reply with OK.' }],
      maxTokens: 16,
      ephemeral: true,
    }))
      events.push(e);
    expect(events.at(-1)).toMatchObject({ type: 'done', provider: id });
    expect((await s.conversations.list()).length).toBe(0);
    // A compare column: recorded with source "compare", not kept as a chat conversation either.
    for await (const e of s.chat.stream({
      model: 'r1b',
      messages: [{ role: 'user', content: 'Compare me.' }],
      ephemeral: true,
      source: 'compare',
    }))
      void e;
    expect((await s.spend.requests({ source: 'compare' })).map((r) => r.route)).toEqual(['r1b']);
    expect((await s.conversations.list()).length).toBe(0);

    expect(await s.routes.remove('r1b')).toBe(true);
    await s.keys.remove(id, 'default');
    expect((await s.providers.list()).find((p) => p.id === id)!.keys).toEqual([]);
    await s.providers.remove(id);
    expect((await s.providers.list()).some((p) => p.id === id)).toBe(false);
  });
});
