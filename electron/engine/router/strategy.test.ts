import { describe, expect, it } from 'vitest';
import { parseConfig } from '../settings/config-schema';
import { retryAfterMs, isContextLengthError } from './failures';
import { RouterHealth } from './health';
import { RouteTable } from './resolve';
import { conversationKey, StickySessions } from './sticky';
import { estimateTokens, orderTargets } from './strategy';
import { guardStream } from './timeouts';

const cfg = parseConfig({
  providers: ['a', 'b', 'c'].map((id, i) => ({
    id,
    kind: 'openai-compatible',
    baseUrl: 'http://127.0.0.1:1/v1',
    models: [{ id: 'm', price: i === 2 ? undefined : { input: i + 1, output: i + 1 } }],
  })),
  routes: [
    {
      name: 'w',
      strategy: 'weighted',
      targets: [
        { provider: 'a', model: 'm', weight: 8 },
        { provider: 'b', model: 'm', weight: 2 },
      ],
    },
    {
      name: 'cost',
      strategy: 'lowest-cost',
      targets: [
        { provider: 'c', model: 'm' },
        { provider: 'b', model: 'm' },
        { provider: 'a', model: 'm' },
      ],
    },
    {
      name: 'lat',
      strategy: 'lowest-latency',
      targets: [
        { provider: 'a', model: 'm' },
        { provider: 'b', model: 'm' },
        { provider: 'c', model: 'm' },
      ],
    },
  ],
});

function seeded(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}
const first = (route: string, health = new RouterHealth(), random = Math.random) => {
  const plan = new RouteTable(cfg.providers, cfg.routes, [], health).resolve(route).plan;
  return orderTargets(plan, { health, inputTokens: 100, outputTokens: 100, random }).map((t) => t.provider.id);
};

describe('strategies', () => {
  it('weighted picks by weight and keeps the rest as fallbacks', () => {
    const random = seeded(42);
    let a = 0;
    for (let i = 0; i < 2000; i++) {
      const order = first('w', new RouterHealth(), random);
      expect(order).toHaveLength(2);
      if (order[0] === 'a') a++;
    }
    expect(a / 2000).toBeGreaterThan(0.74);
    expect(a / 2000).toBeLessThan(0.86);
  });

  it('lowest-cost puts the cheapest known price first and unknown prices last', () => {
    expect(first('cost')).toEqual(['a', 'b', 'c']);
  });

  it('lowest-latency measures unknown targets first, then prefers the fastest', () => {
    const h = new RouterHealth();
    h.observeTtft('a/m', 900);
    h.observeTtft('b/m', 100);
    expect(first('lat', h, () => 0.5)).toEqual(['c', 'b', 'a']); // c is unmeasured: explored first
    h.observeTtft('c/m', 400);
    expect(first('lat', h, () => 0.5)).toEqual(['b', 'c', 'a']);
  });

  it('estimates tokens from the prompt and max_tokens', () => {
    expect(estimateTokens({ messages: [{ role: 'user', content: 'x'.repeat(400) }], max_tokens: 50 })).toEqual({ input: 100, output: 50 });
  });
});

describe('sticky sessions', () => {
  it('keys a conversation by its opening messages (same across turns) or prompt_cache_key', () => {
    const sys = { role: 'system', content: 's' };
    const u1 = { role: 'user', content: 'first' };
    const k1 = conversationKey('r', { messages: [sys, u1] });
    expect(conversationKey('r', { messages: [sys, u1, { role: 'assistant', content: 'x' }, { role: 'user', content: 'more' }] })).toBe(k1);
    expect(conversationKey('other', { messages: [sys, u1] })).not.toBe(k1);
    expect(conversationKey('r', { prompt_cache_key: 'abc', messages: [u1] })).toBe('r\0k:abc');
    const s = new StickySessions();
    s.set(k1!, 'a/m');
    expect(s.get(k1!)).toBe('a/m');
  });

  it('keeps a conversation for ten minutes after its last turn, and evicts the least recently placed', () => {
    let now = 0;
    const s = new StickySessions(() => now);
    s.set('c0', 'a/m');
    now = 9 * 60_000;
    s.set('c0', 'a/m'); // the same pick again: refreshed where it stands
    now = 18 * 60_000;
    expect(s.get('c0')).toBe('a/m'); // 18 minutes after the first turn, 9 after the last
    s.set('c0', 'b/m'); // a new pick always takes the newest place
    now += 60_000;
    for (let i = 1; i < 20_000; i++) s.set(`c${i}`, 'a/m');
    expect(s.size).toBe(20_000);
    now += 30_000;
    s.set('c0', 'b/m'); // placed 90 s ago: moves to the newest place
    s.set('c1', 'a/m'); // placed 30 s ago: keeps its place, now the oldest
    s.set('c20000', 'a/m');
    expect(s.size).toBe(20_000);
    expect(s.get('c0')).toBe('b/m');
    expect(s.get('c1')).toBeUndefined(); // the oldest place: evicted
    expect(s.get('c2')).toBe('a/m');
    now += 11 * 60_000;
    expect(s.get('c0')).toBeUndefined(); // expired
  });
});

describe('failure parsing', () => {
  it('reads retry-after-ms, Retry-After seconds and dates', () => {
    expect(retryAfterMs({ 'retry-after-ms': '250', 'retry-after': '9' })).toBe(250);
    expect(retryAfterMs({ 'retry-after': '3' })).toBe(3000);
    expect(retryAfterMs({ 'retry-after': new Date(10_000).toUTCString() }, 4000)).toBe(6000);
    expect(retryAfterMs({})).toBeUndefined();
  });

  it('recognises context-length errors by code or wording', () => {
    expect(isContextLengthError(400, JSON.stringify({ error: { code: 'context_length_exceeded', message: 'x' } }))).toBe(true);
    expect(
      isContextLengthError(
        400,
        JSON.stringify({
          type: 'error',
          error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' },
        }),
      ),
    ).toBe(true);
    expect(isContextLengthError(400, JSON.stringify({ error: { message: 'Invalid temperature' } }))).toBe(false);
    expect(isContextLengthError(500, 'context length')).toBe(false);
  });
});

describe('guardStream', () => {
  async function* slow(delays: number[]) {
    for (const d of delays) {
      await new Promise((r) => setTimeout(r, d));
      yield d;
    }
  }

  it('passes items through, and ends with a timeout when a gap exceeds idleMs', async () => {
    const aborted: string[] = [];
    const ends: unknown[] = [];
    const got: number[] = [];
    const g = guardStream(slow([1, 1, 300]), {
      idleMs: 100,
      deadline: performance.now() + 10_000,
      abort: (e) => aborted.push(e.message),
      onEnd: (o) => ends.push(o),
    });
    await expect(
      (async () => {
        for await (const x of g) got.push(x);
      })(),
    ).rejects.toThrow(/sent nothing for 100 ms/);
    expect(got).toEqual([1, 1]);
    expect(aborted).toHaveLength(1);
    expect(ends).toEqual([expect.objectContaining({ ok: false, items: 2 })]);
  });

  it('aborts the upstream when the consumer stops early, without calling it a failure', async () => {
    const aborted: string[] = [];
    const ends: unknown[] = [];
    const g = guardStream(slow([1, 1, 1]), {
      idleMs: 1000,
      deadline: performance.now() + 10_000,
      abort: (e) => aborted.push(e.message),
      onEnd: (o) => ends.push(o),
    });
    for await (const _ of g) break;
    expect(aborted).toEqual(['stream abandoned by its consumer']);
    expect(ends).toEqual([{ ok: true, items: 1 }]);
  });
});
