// Model listing and key validation against each protocol's fake: the right endpoint, auth header
// and list shape per kind, and a bad key reported as such.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transport } from '../../electron/engine/providers/transport';
import { listUpstreamModels, validateKey } from '../../electron/engine/providers/models';
import { testKey } from '../../electron/engine/vault/key-test';
import type { ProviderConfig } from '../../electron/engine/settings/config-schema';
import { startAnthropicFake, type AnthropicFake } from '../fakes/anthropic-fake';
import { startAzureFake, type AzureFake } from '../fakes/azure-fake';
import { startGeminiFake, type GeminiFake } from '../fakes/gemini-fake';
import { startOllamaFake, type OllamaFake } from '../fakes/ollama-fake';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';

let oa: OpenAIFake;
let an: AnthropicFake;
let gm: GeminiFake;
let ol: OllamaFake;
let az: AzureFake;
const transport = new Transport();

beforeAll(async () => {
  [oa, an, gm, ol, az] = await Promise.all([
    startOpenAIFake({ apiKey: 'good', models: ['gpt-a', 'gpt-b'] }),
    startAnthropicFake({ apiKey: 'good', models: ['claude-x'] }),
    startGeminiFake({ apiKey: 'good', models: ['gemini-y'] }),
    startOllamaFake({ models: ['llama3.2', 'qwen3'] }),
    startAzureFake({ apiKey: 'good', deployments: ['dep-1'] }),
  ]);
});

afterAll(async () => {
  await Promise.all([oa, an, gm, ol, az].map((f) => f?.close()));
  await transport.close();
});

const p = (kind: ProviderConfig['kind'], baseUrl: string): ProviderConfig => ({ id: kind, kind, baseUrl, keys: [], models: [] });

describe('model listing and key validation', () => {
  it("lists models per kind with each API's own auth", async () => {
    expect(await listUpstreamModels(transport, p('openai-compatible', oa.url), 'good')).toEqual(['gpt-a', 'gpt-b']);
    expect(await listUpstreamModels(transport, p('anthropic', an.url), 'good')).toEqual(['claude-x']);
    expect(an.requests.at(-1)!.headers['anthropic-version']).toBe('2023-06-01');
    expect(await listUpstreamModels(transport, p('gemini', gm.url), 'good')).toEqual(['gemini-y']);
    expect(await listUpstreamModels(transport, p('ollama', ol.url), '')).toEqual(['llama3.2', 'qwen3']);
    expect(await listUpstreamModels(transport, p('azure-openai', `${az.endpoint}?api-version=2024-10-21`), 'good')).toEqual(['dep-1']);
    expect(az.requests.at(-1)!.path).toBe('/openai/models?api-version=2024-10-21');
    expect(az.requests.at(-1)!.headers['api-key']).toBe('good');
  });

  it('validates keys: good ones pass, bad ones are named invalid, a dead server unreachable', async () => {
    expect(await validateKey(transport, p('openai', oa.url), 'good')).toEqual({ ok: true, models: 2 });
    for (const [kind, url] of [
      ['openai', oa.url],
      ['anthropic', an.url],
      ['gemini', gm.url],
      ['azure-openai', az.endpoint],
    ] as const) {
      const check = await validateKey(transport, p(kind, url), 'bad-key');
      expect(check, kind).toMatchObject({ ok: false, reason: 'invalid-key' });
      expect(JSON.stringify(check)).not.toContain('bad-key');
    }
    expect(await validateKey(transport, p('ollama', 'http://127.0.0.1:9'), '')).toMatchObject({ ok: false, reason: 'unreachable' });
  });

  it("backs the app's key test (and doctor) with the same per-kind endpoints", async () => {
    const key = (secret: string) => ({ label: 'default', secret });
    for (const [kind, url] of [
      ['anthropic', an.url],
      ['gemini', gm.url],
      ['azure-openai', az.endpoint],
      ['openai', oa.url],
    ] as const) {
      expect(await testKey(transport, p(kind, url), key('good'), 'default'), kind).toMatchObject({ ok: true, status: 200 });
      const bad = await testKey(transport, p(kind, url), key('bad-key'), 'default');
      expect(bad.ok, kind).toBe(false);
      expect(bad.message, kind).toMatch(/^the key was refused/);
    }
    expect(await testKey(transport, p('ollama', ol.url), undefined, 'default')).toMatchObject({ ok: true });
  });
});
