// Zod failures told one way everywhere: a line per issue naming its field as zod writes paths, and
// one price schema for config files and user overrides alike (reasoning tokens included).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig, priceSchema } from './config-schema';
import { InvalidValueError, issueLines, parseOrThrow } from './zod-issues';

describe('zod issues', () => {
  it('names each field as zod writes its path, under a prefix when given', () => {
    const schema = z.object({ list: z.array(z.object({ n: z.number() })), 'a/b': z.string() });
    const error = schema.safeParse({ list: [{ n: 'x' }], 'a/b': 1 }).error!;
    expect(issueLines(error)).toEqual([expect.stringMatching(/^list\[0\]\.n: /), expect.stringMatching(/^\["a\/b"\]: /)]);
    expect(issueLines(error, 'tokens')[0]).toMatch(/^tokens\.list\[0\]\.n: /);
    expect(issueLines(z.number().safeParse('x').error!)).toEqual([expect.stringMatching(/^\(top level\): /)]);
  });

  it('throws a typed error naming what was refused', () => {
    expect(() => parseOrThrow(z.object({ port: z.number() }), { port: 'x' }, 'port settings')).toThrow(InvalidValueError);
    expect(() => parseOrThrow(z.object({ port: z.number() }), { port: 'x' }, 'port settings')).toThrow(/^invalid port settings: port: /);
  });

  it('has one price schema: a config file takes a reasoning price as the overrides do', () => {
    expect(priceSchema.parse({ input: 1, output: 2, reasoning: 3 })).toEqual({ input: 1, output: 2, reasoning: 3 });
    const config = parseConfig({ providers: [{ id: 'p', kind: 'openai', models: [{ id: 'm', price: { input: 1, reasoning: 3 } }] }] });
    expect(config.providers[0]!.models[0]!.price).toEqual({ input: 1, reasoning: 3 });
  });
});
