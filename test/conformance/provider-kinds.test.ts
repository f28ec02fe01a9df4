// Provider kinds with their own endpoint and auth shapes, through the port: Azure OpenAI in both
// URL forms, and keyless OpenAI-compatible servers on loopback.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { startAzureFake } from '../fakes/azure-fake';
import { startOpenAIFake } from '../fakes/openai-fake';
import { startHarness } from '../support/engine-harness';

describe('Azure OpenAI, both URL forms', () => {
  it('serves the deployments form and the v1 form, from OpenAI and Anthropic clients', async () => {
    const az = await startAzureFake({ apiKey: 'k-az', deployments: ['dep-1'] });
    const hz = await startHarness(
      {
        providers: [
          {
            id: 'azd',
            kind: 'azure-openai',
            baseUrl: `${az.endpoint}?api-version=2025-01-01-preview`,
            keys: [{ env: 'K' }],
            models: [{ id: 'dep-1' }],
          },
          { id: 'az1', kind: 'azure-openai', baseUrl: `${az.endpoint}/openai/v1`, keys: [{ env: 'K' }], models: [{ id: 'dep-1' }] },
        ],
        routes: [],
      },
      { K: 'k-az' },
    );
    try {
      const oa = new OpenAI({ baseURL: `${hz.baseUrl}/v1`, apiKey: hz.token, maxRetries: 0 });
      const a = await oa.chat.completions.create({ model: 'azd/dep-1', messages: [{ role: 'user', content: 'deployments' }] });
      expect(a.choices[0]!.message.content).toBe('Echo: deployments');
      expect(az.requests.at(-1)!.path).toBe('/openai/deployments/dep-1/chat/completions?api-version=2025-01-01-preview');
      const an = new Anthropic({ baseURL: hz.baseUrl, apiKey: hz.token, maxRetries: 0 });
      const b = await an.messages.create({ model: 'az1/dep-1', max_tokens: 50, messages: [{ role: 'user', content: 'v1 form' }] });
      expect(b.content[0]).toMatchObject({ type: 'text', text: 'Echo: v1 form' });
      expect(az.requests.at(-1)!.path).toBe('/openai/v1/chat/completions');
      expect(az.requests.at(-1)!.headers['api-key']).toBe('k-az');
      expect(az.requests.at(-1)!.headers.authorization).toBeUndefined();
    } finally {
      await hz.close();
      await az.close();
    }
  });
});

describe('keyless local servers', () => {
  it('serves an OpenAI-compatible server on loopback with no key configured, sending no auth header', async () => {
    const local = await startOpenAIFake({ scenario: true, models: ['qwen'] });
    const hl = await startHarness(
      { providers: [{ id: 'local', kind: 'openai-compatible', baseUrl: local.url, models: [{ id: 'qwen' }] }], routes: [] },
      {},
    );
    try {
      const an = new Anthropic({ baseURL: hl.baseUrl, apiKey: hl.token, maxRetries: 0 });
      const msg = await an.messages.create({ model: 'local/qwen', max_tokens: 20, messages: [{ role: 'user', content: 'offline' }] });
      expect(msg.content[0]).toMatchObject({ type: 'text', text: 'Echo: offline' });
      expect(local.requests.at(-1)!.headers.authorization).toBeUndefined();
    } finally {
      await hl.close();
      await local.close();
    }
  });
});
