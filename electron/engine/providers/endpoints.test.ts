// Endpoint shapes per kind: Azure deployments vs v1, presets by id or host, fast-path body rewrite.
import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../settings/config-schema';
import { openAIChatEndpoint } from './endpoints';
import { buildChatCall } from './openai/openai-compatible';
import { presetFor, PRESETS } from './presets';

const p = (kind: ProviderConfig['kind'], id: string, baseUrl?: string): ProviderConfig => ({ id, kind, baseUrl, keys: [], models: [] });

describe('endpoints', () => {
  it('builds Azure deployment URLs with api-version and the api-key header, and the v1 form', () => {
    expect(openAIChatEndpoint(p('azure-openai', 'az', 'https://res.openai.azure.com'), 'dep', 'K')).toEqual({
      url: 'https://res.openai.azure.com/openai/deployments/dep/chat/completions?api-version=2024-10-21',
      headers: { 'api-key': 'K' },
    });
    expect(
      openAIChatEndpoint(p('azure-openai', 'az', 'https://res.openai.azure.com/?api-version=2025-04-01-preview'), 'dep', 'K').url,
    ).toBe('https://res.openai.azure.com/openai/deployments/dep/chat/completions?api-version=2025-04-01-preview');
    expect(openAIChatEndpoint(p('azure-openai', 'az', 'https://res.openai.azure.com/openai/v1'), 'gpt-4o', 'K').url).toBe(
      'https://res.openai.azure.com/openai/v1/chat/completions',
    );
  });

  it('finds presets by host or id and uses their base URL and headers', () => {
    expect(presetFor(p('openai-compatible', 'mine', 'https://api.deepseek.com/v1'))?.id).toBe('deepseek');
    expect(openAIChatEndpoint(p('openai-compatible', 'groq'), 'llama', 'K').url).toBe('https://api.groq.com/openai/v1/chat/completions');
    expect(openAIChatEndpoint(p('openai-compatible', 'openrouter'), 'x', 'K').headers).toMatchObject({
      'X-Title': 'Switchboard',
      authorization: 'Bearer K',
    });
    expect(presetFor(p('openai', 'deepseek'))).toBeUndefined();
    expect(new Set(PRESETS.map((x) => x.id)).size).toBe(PRESETS.length);
  });

  it('fast path: rewrites only the model (and asks for stream usage), keeping unknown fields', () => {
    const call = buildChatCall(
      { model: 'alias', messages: [], stream: true, seed: 7, x_vendor: { a: 1 } },
      p('openai', 'oa', 'http://127.0.0.1:1/v1'),
      'gpt',
      'K',
    );
    expect(JSON.parse(call.body!)).toEqual({
      model: 'gpt',
      messages: [],
      stream: true,
      seed: 7,
      x_vendor: { a: 1 },
      stream_options: { include_usage: true },
    });
    const mistral = buildChatCall({ model: 'a', messages: [], stream: true }, p('openai-compatible', 'mistral'), 'm', 'K');
    expect(JSON.parse(mistral.body!).stream_options).toBeUndefined();
  });
});
