// The add-provider flow against the real engine and an OpenAI-compatible fake: discover (key tested,
// models listed and priced from the bundled catalog), create all-or-nothing (a refused key, a taken id
// or a write that loses a race leaves no provider and no key behind), keys kept for this session when
// the keychain is unavailable (with plain-words help, never the system's error), and models added later.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatStreamEvent } from '../../shared/types';
import { fakeKeychain, RAW_DBUS_ERROR, type FakeKeychain } from '../fakes/keychain-fake';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';

const KEY = 'sk-setup-0123456789abcdefWXYZ';
let fake: OpenAIFake;
const open: Harness[] = [];

async function engine(keychain: FakeKeychain, env: Record<string, string> = {}): Promise<Harness> {
  const h = await startHarness({ providers: [], routes: [] }, env, 'setup-test', { keychain });
  open.push(h);
  return h;
}

const setup = (over: Record<string, unknown> = {}) => ({
  id: 'acme',
  kind: 'openai-compatible' as const,
  baseUrl: fake.url,
  key: { secret: KEY },
  ...over,
});

beforeAll(async () => {
  fake = await startOpenAIFake({ reply: 'pong', chunks: 2, apiKey: KEY, models: ['gpt-4o-mini', 'house-model'] });
});
afterEach(async () => {
  fake.fault(null);
  for (const h of open.splice(0)) await h.close();
});
afterAll(async () => {
  await fake?.close();
});

describe('providers.discover', () => {
  it('tests the key and prices the listed models from the bundled catalog', async () => {
    const h = await engine(fakeKeychain());
    const found = await h.app.services.providers.discover(setup());
    expect(found).toMatchObject({ ok: true, status: 200, masked: 'sk-…WXYZ' });
    const mini = found.models.find((m) => m.id === 'gpt-4o-mini')!;
    expect(mini).toMatchObject({
      source: 'matched',
      matchedFrom: 'openai/gpt-4o-mini',
      contextWindow: 128000,
      price: { input: 0.15, output: 0.6 },
    });
    expect(found.models.find((m) => m.id === 'house-model')).toEqual({ id: 'house-model', source: 'unknown' });
    // Nothing is stored by a discovery.
    expect(await h.app.services.providers.list()).toEqual([]);
  });

  it('says plainly when the key is refused or the server is not there, without the key', async () => {
    const h = await engine(fakeKeychain());
    const refused = await h.app.services.providers.discover(setup({ key: { secret: 'sk-wrong-0000000000000000' } }));
    expect(refused).toMatchObject({ ok: false, status: 401, models: [] });
    expect(refused.message).toMatch(/acme refused the key \(401\)/);
    expect(refused.message).not.toContain('sk-wrong-0000000000000000');
    const gone = await h.app.services.providers.discover(setup({ baseUrl: 'http://127.0.0.1:9/v1' }));
    expect(gone.ok).toBe(false);
    expect(gone.message).toMatch(/^Cannot reach http:\/\/127\.0\.0\.1:9/);
    await expect(h.app.services.providers.discover(setup({ id: 'bad id' }))).rejects.toThrow(/^Provider id: /);
    await expect(h.app.services.providers.discover(setup({ baseUrl: '' }))).rejects.toThrow(/^Base URL: this kind of provider needs one/);
  });
});

describe('providers.create', () => {
  it('writes provider, key and priced models together; the key stays out of the settings file', async () => {
    const keychain = fakeKeychain();
    const h = await engine(keychain);
    const created = await h.app.services.providers.create(
      setup({
        models: [
          { id: 'gpt-4o-mini', contextWindow: 128000, price: { input: 0.15, output: 0.6 } },
          { id: 'house-model', price: { input: 1, output: 3 } },
        ],
      }),
    );
    expect(created.keyPlacement).toBe('keychain');
    expect(created.provider.keys).toEqual([{ label: 'default', source: 'keychain', present: true, masked: 'sk-…WXYZ' }]);
    expect(created.provider.models.map((m) => [m.id, m.price, m.priceSource])).toEqual([
      ['gpt-4o-mini', { input: 0.15, output: 0.6 }, 'config'],
      ['house-model', { input: 1, output: 3 }, 'config'],
    ]);
    expect(keychain.entries.get('acme/default')).toBe(KEY);
    expect(readFileSync(`${h.dataDir}/settings.json`, 'utf8')).not.toContain(KEY);
    await expect(h.app.services.providers.create(setup({ models: [{ id: 'gpt-4o-mini' }] }))).rejects.toThrow(/exists already/);

    // The new provider answers at once.
    let text = '';
    for await (const e of h.app.services.chat.stream({
      model: 'acme/house-model',
      messages: [{ role: 'user', content: 'ping' }],
      ephemeral: true,
    }) as AsyncIterable<ChatStreamEvent>) {
      if (e.type === 'delta') text += e.text;
      if (e.type === 'error') throw new Error(e.message);
    }
    expect(text).toBe('pong');
  });

  it('stores nothing when the key is refused or no model is chosen', async () => {
    const keychain = fakeKeychain();
    const h = await engine(keychain);
    await expect(
      h.app.services.providers.create(setup({ key: { secret: 'sk-wrong-0000000000000000' }, models: [{ id: 'house-model' }] })),
    ).rejects.toThrow(/^Nothing was added: acme refused the key/);
    await expect(h.app.services.providers.create(setup({ models: [] }))).rejects.toThrow(/^Models: choose at least one/);
    await expect(h.app.services.providers.create(setup({ models: [{ id: 'm', price: { input: -1 } }] }))).rejects.toThrow(
      /input price of "m"/,
    );
    expect(await h.app.services.providers.list()).toEqual([]);
    expect(keychain.entries.size).toBe(0);
  });

  it('takes the key back when the provider cannot be written (another add won the id meanwhile)', async () => {
    const keychain = fakeKeychain();
    keychain.entries.set('acme/default', 'sk-left-over-from-before-0000');
    const h = await engine(keychain);
    fake.fault({ delayMs: 400 }); // the key test is slow: another add slips in before the write
    const creating = h.app.services.providers.create(setup({ models: [{ id: 'house-model' }] }));
    await new Promise((r) => setTimeout(r, 100));
    await h.app.services.providers.add({ id: 'acme', kind: 'openai', models: [] });
    await expect(creating).rejects.toThrow(/added meanwhile|exists already/);
    // The key that was there before is back; the provider is the other add's.
    expect(keychain.entries.get('acme/default')).toBe('sk-left-over-from-before-0000');
    expect((await h.app.services.providers.list()).map((p) => p.kind)).toEqual(['openai']);
  });

  it('keeps the key for this session when the keychain is unavailable, and explains how to get one', async () => {
    const keychain = fakeKeychain({ unavailable: true });
    const h = await engine(keychain);
    const storage = await h.app.services.keys.storage();
    expect(storage.mode).toBe('session');
    expect(storage.help?.summary).toMatch(/session only/);
    expect(storage.help?.steps.join(' ')).toMatch(/gnome-keyring.*KWallet/s);
    expect(storage.help?.steps.join(' ')).toMatch(/environment variable/);
    expect(JSON.stringify(storage)).not.toMatch(/DBus|socket|Platform secure storage/);

    const created = await h.app.services.providers.create(setup({ models: [{ id: 'house-model', price: { input: 1, output: 3 } }] }));
    expect(created.keyPlacement).toBe('session');
    expect(created.provider.keys).toEqual([{ label: 'default', source: 'session', present: true, masked: 'sk-…WXYZ' }]);
    expect(await h.app.services.keys.storage()).toMatchObject({ mode: 'session', sessionKeys: 1 });
    expect(readFileSync(`${h.dataDir}/settings.json`, 'utf8')).not.toContain(KEY);
    const tested = await h.app.services.keys.test('acme');
    expect(tested).toMatchObject({ ok: true, masked: 'sk-…WXYZ' });
    // Removing the provider drops the session key too, and does not fail on the missing keychain.
    await h.app.services.providers.remove('acme');
    expect(await h.app.services.keys.storage()).toMatchObject({ sessionKeys: 0 });
    expect(RAW_DBUS_ERROR).toContain('DBus'); // what the fake throws underneath
  });

  it('takes an environment-variable key, read where the engine runs', async () => {
    const h = await engine(fakeKeychain(), { ACME_API_KEY: KEY });
    await expect(h.app.services.providers.discover(setup({ key: { env: 'NOT_SET_ANYWHERE' } }))).rejects.toThrow(
      /NOT_SET_ANYWHERE is not set/,
    );
    const created = await h.app.services.providers.create(setup({ key: { env: 'ACME_API_KEY' }, models: [{ id: 'house-model' }] }));
    expect(created.keyPlacement).toBe('env');
    expect(created.provider.keys).toEqual([
      { label: 'ACME_API_KEY', source: 'env', envName: 'ACME_API_KEY', present: true, masked: 'sk-…WXYZ' },
    ]);
  });
});

describe('providers.available and addModels', () => {
  it('lists what the API offers with prices, and adds models without freezing catalog prices', async () => {
    const h = await engine(fakeKeychain());
    await h.app.services.providers.create(setup({ models: [{ id: 'house-model' }] }));
    const offered = await h.app.services.providers.available('acme');
    expect(offered.map((m) => [m.id, m.source, m.configured ?? false])).toEqual([
      ['gpt-4o-mini', 'matched', false],
      ['house-model', 'unknown', true],
    ]);
    const info = await h.app.services.providers.addModels('acme', [
      { id: 'gpt-4o-mini', price: { input: 0.15, output: 0.6 } },
      { id: 'house-model' },
    ]);
    expect(info.models.map((m) => [m.id, m.price?.input])).toEqual([
      ['house-model', undefined],
      ['gpt-4o-mini', 0.15],
    ]);
  });
});
