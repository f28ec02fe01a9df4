// The add-provider form's text handling: a blank price stays unknown (never $0), bad input is named,
// and only the models kept are sent, with their windows and prices.
import { describe, expect, it } from 'vitest';
import { envNameFor, keyIsDeletable, keySourceLabel, modelsFromRows, parsePrice, parseWindow, priceText, rowFor } from './provider-form';

describe('provider form', () => {
  it('reads prices: blank parts left out, $ allowed, nonsense named', () => {
    expect(parsePrice({ input: '0.15', output: '$0.6', cacheRead: '' })).toEqual({ price: { input: 0.15, output: 0.6 } });
    expect(parsePrice({ input: '', output: ' ' })).toEqual({});
    expect(parsePrice({ input: '0' })).toEqual({ price: { input: 0 } });
    expect(parsePrice({ output: '-1' }).error).toMatch(/^Output price: .*"-1"/);
    expect(parsePrice({ input: 'free' }).error).toMatch(/^Input price/);
    // Parts the form does not show are kept.
    expect(parsePrice({ input: '1' }, { input: 9, reasoning: 4 })).toEqual({ price: { input: 1, reasoning: 4 } });
  });

  it('reads context windows with separators', () => {
    expect(parseWindow('128,000')).toEqual({ contextWindow: 128000 });
    expect(parseWindow('')).toEqual({});
    expect(parseWindow('12.5').error).toMatch(/whole number/);
  });

  it('sends only the models kept, and refuses none at all', () => {
    const rows = [
      rowFor({ id: 'a', source: 'matched', contextWindow: 1000, price: { input: 1, output: 2 } }),
      { ...rowFor({ id: 'b', source: 'unknown' }), offered: false },
    ];
    expect(rows[0]!.price).toEqual(priceText({ input: 1, output: 2 }));
    expect(modelsFromRows(rows)).toEqual({ models: [{ id: 'a', contextWindow: 1000, price: { input: 1, output: 2 } }] });
    expect(modelsFromRows(rows.map((r) => ({ ...r, offered: false }))).error).toMatch(/at least one/);
    expect(modelsFromRows([{ ...rows[0]!, window: 'big' }]).error).toMatch(/^a: Context window/);
  });

  it('suggests an env variable name from the provider id', () => {
    expect(envNameFor('acme')).toBe('ACME_API_KEY');
    expect(envNameFor('my-llm.2')).toBe('MY_LLM_2_API_KEY');
    expect(envNameFor('9x')).toBe('P_9X_API_KEY');
  });

  it('tells where a key comes from, and offers to delete only the keys the app stores', () => {
    expect(keySourceLabel({ source: 'file', filePath: '/etc/switchboard/keys/openai' })).toBe('from file /etc/switchboard/keys/openai');
    expect(keySourceLabel({ source: 'env', envName: 'OPENAI_KEY' })).toBe('env OPENAI_KEY');
    expect(keySourceLabel({ source: 'keychain' })).toBe('keychain');
    expect(keySourceLabel({ source: 'session' })).toBe('this session only');
    expect((['keychain', 'session', 'env', 'file'] as const).filter((source) => keyIsDeletable({ source }))).toEqual([
      'keychain',
      'session',
    ]);
  });
});
