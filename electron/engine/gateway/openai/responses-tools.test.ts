// Tool planning for /v1/responses on its own: flat names (Codex's `ns__name`), collisions and long
// names made safe and still mapped back, hosted tools named for the request log.
import { describe, expect, it } from 'vitest';
import { planTools, responsesNotes, TranslationError } from './responses-tools';

describe('planTools', () => {
  it('keeps plain names, joins namespaced ones as Codex does and maps them back', () => {
    const plan = planTools([
      { type: 'namespace', name: 'mcp__docs__', tools: [{ type: 'function', name: 'search' }] },
      { type: 'function', name: 'exec_command' },
    ]);
    expect(plan.tools.map((t) => t.function.name)).toEqual(['exec_command', 'mcp__docs__search']);
    expect(plan.refOf('mcp__docs__search')).toEqual({ name: 'search', namespace: 'mcp__docs__' });
    expect(plan.refOf('exec_command')).toEqual({ name: 'exec_command' });
    expect(plan.refOf('unknown')).toEqual({ name: 'unknown' });
  });

  it('gives a colliding or overlong flat name a hashed form that chat servers accept, still mapped back', () => {
    const long = 'x'.repeat(70);
    const plan = planTools([
      {
        type: 'namespace',
        name: 'a',
        tools: [
          { type: 'function', name: 'b' },
          { type: 'function', name: long },
        ],
      },
      { type: 'function', name: 'a__b' },
    ]);
    const names = plan.tools.map((t) => t.function.name as string);
    expect(new Set(names).size).toBe(3);
    for (const n of names) expect(n).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(plan.refOf(plan.flatName('b', 'a'))).toEqual({ name: 'b', namespace: 'a' });
    expect(plan.refOf(plan.flatName(long, 'a'))).toEqual({ name: long, namespace: 'a' });
    expect(plan.refOf('a__b')).toEqual({ name: 'a__b' });
  });

  it('drops hosted tools, refuses malformed ones', () => {
    const plan = planTools([{ type: 'web_search', external_web_access: false }, { type: 'code_interpreter' }]);
    expect(plan.tools).toEqual([]);
    expect(plan.dropped).toEqual(['web_search', 'code_interpreter']);
    expect(responsesNotes({ include: ['reasoning.encrypted_content'] }, plan)).toHaveLength(3);
    expect(() => planTools([{ type: 'namespace', name: 'n' }])).toThrow(TranslationError);
    expect(() => planTools([{ type: 'function' }])).toThrow(/needs a `name`/);
    expect(() => planTools({})).toThrow(/must be an array/);
  });
});
