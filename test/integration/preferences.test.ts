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
  const provider = (id: string) => ({
    id,
    kind: 'openai-compatible',
    baseUrl: fake.url,
    keys: [{ env: 'PREF_KEY' }],
    models: [{ id: 'm1' }],
  });
  h = await startHarness({ providers: [provider('acme'), provider('beta')], routes: [] }, { PREF_KEY: 'k-pref' });
});

afterAll(async () => {
  await h?.close();
  await proxy?.close();
  await fake?.close();
});

async function chat(model = 'acme/m1'): Promise<string> {
  let text = '';
  for await (const e of h.app.services.chat.stream({ model, messages: [{ role: 'user', content: 'hi' }], ephemeral: true })) {
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

  it("sends a provider's traffic through its own proxy, ahead of the global one; others go their own way", async () => {
    const s = h.app.services.settings;
    const before = proxy.tunnels.length;
    await s.setPreferences({ proxy: null, providerProxies: { acme: proxy.url } });
    expect(await chat('acme/m1')).toBe('via proxy');
    expect(proxy.tunnels).toHaveLength(before + 1);
    expect(await chat('beta/m1')).toBe('via proxy');
    expect(proxy.tunnels).toHaveLength(before + 1); // beta went direct
    // A global proxy that goes nowhere: acme still uses its own, beta now fails through the global one.
    await s.setPreferences({ proxy: 'http://127.0.0.1:9', providerProxies: { acme: proxy.url } });
    expect(await chat('acme/m1')).toBe('via proxy');
    expect(proxy.tunnels).toHaveLength(before + 2);
    await expect(chat('beta/m1')).rejects.toThrow();
    await s.setPreferences({ proxy: null, providerProxies: {} });
    expect(await chat('beta/m1')).toBe('via proxy');
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
