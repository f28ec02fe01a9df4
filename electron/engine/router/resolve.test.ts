import { describe, expect, it } from 'vitest';
import { parseConfig } from '../settings/config-schema';
import { takeRoutingExtensions } from './extensions';
import { RoutingError } from './failures';
import { RouterHealth } from './health';
import { RouteTable } from './resolve';
import { orderTargets } from './strategy';

const config = parseConfig({
  providers: [
    { id: 'oa', kind: 'openai', models: [{ id: 'gpt-4.1-mini', price: { input: 0.4, output: 1.6 } }] },
    { id: 'ant', kind: 'anthropic', models: [] },
    {
      id: 'acme',
      kind: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:1/v1',
      models: [{ id: 'gpt-4.1-mini', price: { input: 0.1, output: 0.2 } }, { id: 'm1' }],
    },
  ],
  routes: [
    { name: 'coding', targets: [{ provider: 'ant', model: 'claude-sonnet-4-5' }] },
    {
      name: 'mix',
      strategy: 'fallback',
      targets: [
        {
          group: {
            strategy: 'lowest-cost',
            targets: [
              { provider: 'oa', model: 'gpt-4.1-mini' },
              { provider: 'acme', model: 'gpt-4.1-mini' },
            ],
          },
        },
        { provider: 'acme', model: 'm1' },
      ],
    },
  ],
  aliases: [
    { match: 'claude-*', to: 'coding' },
    { match: 'gpt-5*', to: 'acme/m1' },
  ],
});
const table = new RouteTable(config.providers, config.routes, config.aliases, new RouterHealth());
const ids = (r: { targets: Array<{ provider: { id: string }; model: string }> }) => r.targets.map((t) => `${t.provider.id}/${t.model}`);

describe('RouteTable.resolve', () => {
  it('routes, provider/model, aliases with wildcards, bare ids and model families', () => {
    expect(table.resolve('coding').route).toBe('coding');
    expect(ids(table.resolve('acme/m1'))).toEqual(['acme/m1']);
    expect(table.resolve('claude-opus-4-1')).toMatchObject({ route: 'coding' });
    expect(ids(table.resolve('gpt-5-codex'))).toEqual(['acme/m1']);
    expect(ids(table.resolve('gpt-4.1-mini'))).toEqual(['oa/gpt-4.1-mini', 'acme/gpt-4.1-mini']); // listed by two providers
    expect(ids(table.resolve('o3-mini'))).toEqual(['oa/o3-mini']); // an OpenAI-family id goes to the openai provider
    expect(() => table.resolve('llama-3')).toThrow(RoutingError);
  });

  it('applies OpenRouter `models` and `provider` preferences', () => {
    expect(ids(table.resolve('acme/m1', { models: ['oa/gpt-4.1-mini'] }))).toEqual(['acme/m1', 'oa/gpt-4.1-mini']);
    expect(ids(table.resolve('gpt-4.1-mini', { provider: { order: ['acme'] } }))).toEqual(['acme/gpt-4.1-mini', 'oa/gpt-4.1-mini']);
    expect(ids(table.resolve('gpt-4.1-mini', { provider: { ignore: ['oa'] } }))).toEqual(['acme/gpt-4.1-mini']);
    expect(ids(table.resolve('gpt-4.1-mini', { provider: { order: ['acme'], allowFallbacks: false } }))).toEqual(['acme/gpt-4.1-mini']);
    expect(table.resolve('gpt-4.1-mini', { provider: { allowFallbacks: false } }).plan.noFallbacks).toBe(true);
    expect(table.resolve('gpt-4.1-mini', { provider: { sort: 'price' } }).plan.strategy).toBe('lowest-cost');
    expect(() => table.resolve('gpt-4.1-mini', { provider: { only: ['nobody'] } })).toThrow(/provider preferences/);
  });

  it('orders a nested group by its own strategy inside the fallback chain', () => {
    const plan = table.resolve('mix').plan;
    const order = orderTargets(plan, { health: plan.health, inputTokens: 1000, outputTokens: 100, random: Math.random });
    expect(order.map((t) => `${t.provider.id}/${t.model}`)).toEqual(['acme/gpt-4.1-mini', 'oa/gpt-4.1-mini', 'acme/m1']);
  });
});

describe('config aliases and routes', () => {
  it('rejects an alias that points nowhere, naming the field', () => {
    expect(() => parseConfig({ providers: [], routes: [], aliases: [{ match: 'x-*', to: 'nowhere' }] })).toThrow(/aliases\[0\]\.to/);
  });
});

describe('takeRoutingExtensions', () => {
  it('strips OpenRouter fields from the upstream body and checks their shapes', () => {
    const { body, ext } = takeRoutingExtensions({
      model: 'x',
      messages: [],
      models: ['a/b'],
      provider: { order: ['a'], allow_fallbacks: false, sort: 'latency', ignore: ['c'] },
      temperature: 0,
    });
    expect(body).toEqual({ model: 'x', messages: [], temperature: 0 });
    expect(ext).toEqual({ models: ['a/b'], provider: { order: ['a'], allowFallbacks: false, sort: 'latency', ignore: ['c'] } });
    expect(() => takeRoutingExtensions({ models: 'a/b' })).toThrow(/`models` must be an array/);
    expect(() => takeRoutingExtensions({ provider: { allow_fallbacks: 'no' } })).toThrow(/allow_fallbacks/);
    const untouched = { model: 'x' };
    expect(takeRoutingExtensions(untouched).body).toBe(untouched);
  });
});
