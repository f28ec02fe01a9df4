// Preferences through the contract against the real engine: a global proxy set in settings carries
// the next upstream request (a CONNECT tunnel through a test proxy), clearing it goes direct again;
// desktop preferences are stored and validated; the data location is reported.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnectProxy, type ConnectProxy } from '../fakes/connect-proxy';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';

let fake: OpenAIFake;
let proxy: ConnectProxy;
let h: Harness;

beforeAll(async () => {
  fake = await startOpenAIFake({ reply: 'via proxy', chunks: 2, apiKey: 'k-pref', models: ['m1'] });
  proxy = await startConnectProxy();
  h = await startHarness({ providers: [{ id: 'acme', kind: 'openai-compatible', baseUrl: fake.url, keys: [{ env: 'PREF_KEY' }], models: [{ id: 'm1' }] }], routes: [] }, { PREF_KEY: 'k-pref' });
});

afterAll(async () => {
  await h?.close();
  await proxy?.close();
  await fake?.close();
});

async function chat(): Promise<string> {
  let text = '';
  for await (const e of h.app.services.chat.stream({ model: 'acme/m1', messages: [{ role: 'user', content: 'hi' }], ephemeral: true })) {
    if (e.type === 'delta') text += e.text;
    if (e.type === 'error') throw new Error(e.message);
  }
  return text;
}

describe('preferences', () => {
  it('routes upstream traffic through the global proxy while it is set', async () => {
    const s = h.app.services.settings;
    expect(await s.preferences()).toEqual({ proxy: null, providerProxies: {}, startOnLogin: false, closeToTray: false });
    expect(await chat()).toBe('via proxy');
    expect(proxy.tunnels).toHaveLength(0);

    await s.setPreferences({ proxy: proxy.url });
    expect(await chat()).toBe('via proxy');
    expect(proxy.tunnels).toEqual([new URL(fake.url).host]);

    await s.setPreferences({ proxy: null });
    expect(await chat()).toBe('via proxy');
    expect(proxy.tunnels).toHaveLength(1);
  });

  it('stores desktop preferences, refuses bad values and reports where data lives', async () => {
    const s = h.app.services.settings;
    const saved = await s.setPreferences({ startOnLogin: true, closeToTray: true, providerProxies: { acme: 'http://127.0.0.1:9' } });
    expect(saved).toMatchObject({ startOnLogin: true, closeToTray: true, providerProxies: { acme: 'http://127.0.0.1:9' }, proxy: null });
    await expect(s.setPreferences({ proxy: 'not a url' })).rejects.toThrow(/proxy: a proxy URL/);
    expect((await s.preferences()).proxy).toBeNull();
    const where = await s.dataLocation();
    expect(where.dataDir).toBe(h.dataDir);
    expect(where.settingsFile).toMatch(/settings\.json$/);
  });
});
