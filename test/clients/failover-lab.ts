// The upstreams an agent test routes through: a provider that answers 503 first in every route, then an
// OpenAI-compatible and an Anthropic fake playing the same script (a tool call, then a final answer).
import { startAnthropicFake, type AnthropicFake } from '../fakes/anthropic-fake';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import type { ScriptStep } from '../fakes/scenario';
import { startHarness, type Harness } from '../support/engine-harness';

export interface FailoverLab {
  down: OpenAIFake;
  oa: OpenAIFake;
  an: AnthropicFake;
  h: Harness;
  close(): Promise<void>;
}

/** Routes `code-openai` and `code-anthropic`, each failing over from `down` (503) to its real target. */
export async function startFailoverLab(script: ScriptStep[], tokenName: string): Promise<FailoverLab> {
  const [down, oa, an] = await Promise.all([
    startOpenAIFake({ models: ['m-down'], fault: { status: 503 } }),
    startOpenAIFake({ apiKey: 'k-oa', models: ['gpt-5-mini'], script }),
    startAnthropicFake({ apiKey: 'k-an', models: ['claude-sonnet-4-5'], script }),
  ]);
  const h = await startHarness({
    providers: [
      { id: 'down', kind: 'openai-compatible', baseUrl: down.url, keys: [{ env: 'K_DOWN' }], models: [{ id: 'm-down' }] },
      { id: 'oa', kind: 'openai-compatible', baseUrl: oa.url, keys: [{ env: 'K_OA' }], models: [{ id: 'gpt-5-mini', price: { input: 1, output: 2, cacheRead: 0.1, cacheWrite: 1 } }] },
      { id: 'an', kind: 'anthropic', baseUrl: an.url, keys: [{ env: 'K_AN' }], models: [{ id: 'claude-sonnet-4-5', price: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 } }] },
    ],
    routes: [
      { name: 'code-openai', targets: [{ provider: 'down', model: 'm-down' }, { provider: 'oa', model: 'gpt-5-mini' }] },
      { name: 'code-anthropic', targets: [{ provider: 'down', model: 'm-down' }, { provider: 'an', model: 'claude-sonnet-4-5' }] },
    ],
    health: { failureThreshold: 1000 },
  }, { K_DOWN: 'k-down', K_OA: 'k-oa', K_AN: 'k-an' }, tokenName);
  return {
    down, oa, an, h,
    async close() {
      await h.close();
      await Promise.all([down, oa, an].map((f) => f.close()));
    },
  };
}
