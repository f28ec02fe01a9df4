// Router behaviour beyond single faults, through the real port with the `openai` SDK: the half-open
// probe, cancellation, the total timeout, nothing healthy, sticky routing, aliases and bare model ids,
// OpenRouter's `models` / `provider` fields, and the balancing strategies.
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';
import { drain, eventually, lastRow, ledgerRows, sleep, tried } from '../support/router-fixtures';

const A_REPLY = 'Alpha answers in six parts, slowly.';
const B_REPLY = 'Beta answers.';
let a: OpenAIFake;
let b: OpenAIFake;
let h: Harness | undefined;
let client: OpenAI;
const ENV = { A_KEY: 'a-secret', B_KEY: 'b-secret' };
const T = { firstTokenMs: 2000, idleMs: 2000, totalMs: 10_000 };
const A = { provider: 'alpha', model: 'm1' };
const B = { provider: 'beta', model: 'm2' };

async function engine(extra: { routes?: unknown[]; aliases?: unknown[]; health?: Record<string, number> } = {}) {
  h = await startHarness(
    {
      providers: [
        {
          id: 'alpha',
          kind: 'openai-compatible',
          baseUrl: a.url,
          keys: [{ env: 'A_KEY' }],
          models: [{ id: 'm1', price: { input: 1, output: 2 } }],
        },
        {
          id: 'beta',
          kind: 'openai-compatible',
          baseUrl: b.url,
          keys: [{ env: 'B_KEY' }],
          models: [{ id: 'm2', price: { input: 3, output: 6 } }],
        },
      ],
      routes: [{ name: 'main', timeouts: T, targets: [A, B] }, ...(extra.routes ?? [])],
      aliases: extra.aliases,
      health: { failureThreshold: 2, openMs: 60_000, ...extra.health },
    },
    ENV,
  );
  client = new OpenAI({ baseURL: `${h.baseUrl}/v1`, apiKey: h.token, maxRetries: 0 });
}

let n = 0;
const ask = (model = 'main', extra: Record<string, unknown> = {}) =>
  client.chat.completions.create({
    model,
    messages: [{ role: 'user', content: `question ${++n}` }],
    ...extra,
  } as OpenAI.ChatCompletionCreateParamsNonStreaming);
const targetHealth = async (provider: string) => (await h!.app.services.routes.health()).targets.find((t) => t.provider === provider)!;

beforeAll(async () => {
  a = await startOpenAIFake({ reply: A_REPLY, chunks: 6, apiKey: ENV.A_KEY, models: ['m1'] });
  b = await startOpenAIFake({ reply: B_REPLY, chunks: 3, apiKey: ENV.B_KEY, models: ['m2'] });
});

afterEach(async () => {
  a.fault(null);
  b.fault(null);
  a.faultBy(null);
  b.faultBy(null);
  const settled = await eventually(() => a.inFlight() === 0 && b.inFlight() === 0);
  await h?.close();
  h = undefined;
  const closed = await eventually(() => a.openConnections() === 0 && b.openConnections() === 0);
  expect({ settled, closed }).toEqual({ settled: true, closed: true });
});

afterAll(async () => {
  await a?.close();
  await b?.close();
});

describe('breaker', () => {
  it('half-opens after its cooldown with a single probe, and closes when the probe succeeds', async () => {
    await engine({ health: { openMs: 300 } });
    a.fault({ status: 500 });
    await ask();
    await ask();
    expect((await targetHealth('alpha')).breaker).toBe('open');
    await sleep(400);
    expect((await targetHealth('alpha')).breaker).toBe('half-open');
    // alpha is healthy again but slow to its first token: the probe is in flight while others arrive.
    a.fault({ firstTokenDelayMs: 1500 });
    const before = a.requests.length;
    const streams = await Promise.all(
      Array.from({ length: 5 }, () =>
        client.chat.completions.create({ model: 'main', messages: [{ role: 'user', content: `probe ${++n}` }], stream: true }),
      ),
    );
    const results = await Promise.all(streams.map(drain));
    expect(a.requests.length - before).toBe(1); // exactly one probe
    expect(results.filter((r) => r.text === A_REPLY)).toHaveLength(1);
    expect(results.filter((r) => r.text === B_REPLY)).toHaveLength(4);
    expect(await targetHealth('alpha')).toMatchObject({ breaker: 'closed', failuresInWindow: 0 });
  });

  it('re-opens when the probe fails', async () => {
    await engine({ health: { openMs: 300 } });
    a.fault({ status: 500 });
    await ask();
    await ask();
    await sleep(400);
    expect((await ask()).choices[0]?.message.content).toBe(B_REPLY);
    expect(tried(await lastRow(h!))).toEqual([
      ['alpha', 'A_KEY', 500, 'server'],
      ['beta', 'B_KEY', 200, null],
    ]);
    expect((await targetHealth('alpha')).breaker).toBe('open');
  });

  it('answers 503 with Retry-After when every target is unavailable, without calling any upstream', async () => {
    await engine({ routes: [{ name: 'solo', targets: [A] }] });
    a.fault({ status: 500 });
    await ask('solo').catch(() => undefined);
    await ask('solo').catch(() => undefined);
    const before = a.requests.length;
    const res = await fetch(`${h!.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h!.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'solo', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await res.json()).toMatchObject({ error: { code: 'no_healthy_target', type: 'api_error' } });
    expect(a.requests.length).toBe(before);
    const row = await lastRow(h!);
    expect(row).toMatchObject({ status: 'error', http_status: 503 });
    expect(row.attempts).toEqual([]);
  });
});

describe('cancellation and the total timeout', () => {
  it('a client that leaves mid-stream aborts the upstream at once; the row says cancelled with tokens so far', async () => {
    await engine();
    a.fault({ chunkDelayMs: 1000 });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'main', messages: [{ role: 'user', content: 'a long answer please' }], stream: true },
      { signal: controller.signal },
    );
    let text = '';
    // The SDK ends the iteration quietly (or throws) when its signal aborts; either way the client is gone.
    await (async () => {
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        if (text) controller.abort();
      }
    })().catch(() => undefined);
    expect(text).not.toBe(A_REPLY);
    // 1 s between chunks: "at once" means well before the next chunk would have come.
    expect(await eventually(() => a.inFlight() === 0, 800)).toBe(true);
    await sleep(50);
    const row = await lastRow(h!);
    expect(row).toMatchObject({ status: 'cancelled', http_status: 499, provider: 'alpha' });
    expect(row.output_tokens).toBeGreaterThanOrEqual(1);
    expect(row.input_tokens).toBeGreaterThan(0);
    expect(row.attempts[0]).toMatchObject({ provider: 'alpha', status: 200, errorClass: 'cancelled' });
  });

  it('a client that leaves before the first token: upstream aborted, no failover, row cancelled', async () => {
    await engine();
    a.fault({ firstTokenDelayMs: 5000 });
    const controller = new AbortController();
    const pending = client.chat.completions.create(
      { model: 'main', messages: [{ role: 'user', content: 'x' }], stream: true },
      { signal: controller.signal },
    );
    await eventually(() => a.inFlight() === 1, 2000);
    const bBefore = b.requests.length;
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect(await eventually(() => a.inFlight() === 0, 1000)).toBe(true);
    await sleep(100);
    expect(b.requests.length).toBe(bBefore);
    const row = await lastRow(h!);
    expect(row).toMatchObject({ status: 'cancelled', http_status: 499 });
    expect(tried(row)).toEqual([['alpha', 'A_KEY', null, 'cancelled']]);
  });

  it('the total timeout ends a slow stream with a stream error', async () => {
    await engine({ routes: [{ name: 'quick', timeouts: { totalMs: 2500, idleMs: 2000 }, targets: [A] }] });
    a.fault({ chunkDelayMs: 700 }); // six chunks take 4.2 s; each gap is well inside the idle timeout
    const { text, error } = await drain(
      await client.chat.completions.create({ model: 'quick', messages: [{ role: 'user', content: 'x' }], stream: true }),
    );
    expect(text.length).toBeGreaterThan(0);
    expect(error?.message).toMatch(/total timeout/);
    expect((await lastRow(h!)).attempts[0]).toMatchObject({ errorClass: 'timeout', midStream: true });
  });
});

describe('model names', () => {
  it('resolves wildcard and exact aliases, bare model ids, and says which route served', async () => {
    await engine({
      routes: [{ name: 'coding', targets: [B] }],
      aliases: [
        { match: 'claude-*', to: 'coding' },
        { match: 'gpt-4o', to: 'alpha/m1' },
      ],
    });
    expect((await ask('claude-sonnet-4-5')).choices[0]?.message.content).toBe(B_REPLY);
    expect(await lastRow(h!)).toMatchObject({ route: 'coding', provider: 'beta', model: 'm2' });
    expect(b.requests.at(-1)?.body.model).toBe('m2');
    expect((await ask('gpt-4o')).choices[0]?.message.content).toBe(A_REPLY);
    expect((await ask('m2')).choices[0]?.message.content).toBe(B_REPLY); // a bare id a provider lists
    const error = await ask('mistral-large').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
  });
});

describe('OpenRouter request extensions', () => {
  it('`models` is an ad-hoc fallback list, and neither field is sent upstream', async () => {
    await engine();
    a.fault({ status: 500 });
    const r = await ask('alpha/m1', { models: ['beta/m2'], provider: { sort: 'price' } });
    expect(r.choices[0]?.message.content).toBe(B_REPLY);
    expect(tried(await lastRow(h!))).toEqual([
      ['alpha', 'A_KEY', 500, 'server'],
      ['beta', 'B_KEY', 200, null],
    ]);
    expect(b.requests.at(-1)?.body).not.toHaveProperty('models');
    expect(b.requests.at(-1)?.body).not.toHaveProperty('provider');
  });

  it('`provider.order`, `ignore` and `allow_fallbacks` steer the route', async () => {
    await engine();
    await ask('main', { provider: { order: ['beta', 'alpha'] } });
    expect(tried(await lastRow(h!))).toEqual([['beta', 'B_KEY', 200, null]]);
    a.fault({ status: 500 });
    await expect(ask('main', { provider: { ignore: ['beta'] } })).rejects.toBeInstanceOf(OpenAI.APIError);
    expect(tried(await lastRow(h!))).toEqual([['alpha', 'A_KEY', 500, 'server']]);
    await expect(ask('main', { provider: { allow_fallbacks: false } })).rejects.toBeInstanceOf(OpenAI.APIError);
    expect(tried(await lastRow(h!))).toEqual([['alpha', 'A_KEY', 500, 'server']]);
    const bad = await ask('main', { provider: { sort: 'fastest' } }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect((bad as InstanceType<typeof OpenAI.APIError>).message).toMatch(/provider\.sort/);
  });
});

describe('strategies and sticky routing', () => {
  it('weighted spreads by weight; lowest-cost picks the cheaper; a nested weighted group serves as one fallback step', async () => {
    await engine({
      routes: [
        {
          name: 'spread',
          strategy: 'weighted',
          targets: [
            { ...A, weight: 3 },
            { ...B, weight: 1 },
          ],
        },
        { name: 'cheap', strategy: 'lowest-cost', targets: [B, A] },
        { name: 'nested', strategy: 'fallback', targets: [{ group: { strategy: 'weighted', targets: [A, B] } }, B] },
      ],
    });
    const served: string[] = [];
    for (let i = 0; i < 120; i++) served.push((await ask('spread')).choices[0]!.message.content!);
    const share = served.filter((s) => s === A_REPLY).length / served.length;
    expect(share).toBeGreaterThan(0.55);
    expect(share).toBeLessThan(0.92);
    expect((await ask('cheap')).choices[0]?.message.content).toBe(A_REPLY);
    a.fault({ status: 500 });
    expect((await ask('nested')).choices[0]?.message.content).toBe(B_REPLY);
    const rows = await ledgerRows(h!);
    expect(rows.at(-1)?.route).toBe('nested');
  });

  it('lowest-latency moves traffic to the faster target once measured', async () => {
    await engine({ routes: [{ name: 'fast', strategy: 'lowest-latency', targets: [A, B] }] });
    // A second of difference: wide enough that a loaded machine's jitter cannot reverse it.
    a.fault({ firstTokenDelayMs: 1000 });
    const served: string[] = [];
    for (let i = 0; i < 10; i++)
      served.push(
        (
          await drain(
            await client.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: `q${++n}` }], stream: true }),
          )
        ).text,
      );
    const late = served.slice(2); // both measured by now; 5% of requests still explore
    expect(late.filter((s) => s === B_REPLY).length).toBeGreaterThanOrEqual(5);
    const alpha = await targetHealth('alpha');
    const beta = await targetHealth('beta');
    expect(alpha.ttftMs!).toBeGreaterThan(beta.ttftMs!);
  });

  it('follow-up turns of a conversation stay on the target that served it while it is healthy', async () => {
    await engine({ routes: [{ name: 'spread', strategy: 'weighted', targets: [A, B] }] });
    const system = { role: 'system' as const, content: 'You are terse.' };
    const first = { role: 'user' as const, content: 'conversation one' };
    const r1 = await client.chat.completions.create({ model: 'spread', messages: [system, first] });
    const firstReply = r1.choices[0]!.message.content!;
    const holder = firstReply === A_REPLY ? a : b;
    for (let turn = 0; turn < 6; turn++) {
      const r = await client.chat.completions.create({
        model: 'spread',
        messages: [system, first, { role: 'assistant', content: firstReply }, { role: 'user', content: `follow-up ${turn}` }],
      });
      expect(r.choices[0]?.message.content).toBe(firstReply);
    }
    // Broken holder: the conversation moves on rather than failing.
    holder.fault({ status: 500 });
    const moved = await client.chat.completions.create({
      model: 'spread',
      messages: [system, first, { role: 'user', content: 'and now?' }],
    });
    expect(moved.choices[0]?.message.content).not.toBe(firstReply);
  });
});

describe('routes.health over the app bridge', () => {
  it('shows breaker state, cooldowns and history to the UI, with no secret in it', async () => {
    await engine({ aliases: [{ match: 'claude-*', to: 'main' }] });
    a.fault({ status: 429, retryAfter: '9' });
    await ask();
    const rpc = async (method: string) => {
      const res = await fetch(`${h!.baseUrl}/app/rpc`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h!.app.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ service: 'routes', method, params: [] }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { result: any }).result;
    };
    const snap = await rpc('health');
    expect(snap.keys).toEqual([expect.objectContaining({ provider: 'alpha', label: 'A_KEY', state: 'cooling-down' })]);
    const alpha = snap.targets.find((t: { provider: string }) => t.provider === 'alpha');
    expect(alpha).toMatchObject({
      breaker: 'closed',
      recent: [expect.objectContaining({ ok: false, status: 429, errorClass: 'rate-limited' })],
    });
    expect(snap.targets.find((t: { provider: string }) => t.provider === 'beta').recent.at(-1)).toMatchObject({ ok: true, status: 200 });
    expect(JSON.stringify(snap)).not.toMatch(/a-secret|b-secret/);
    expect(await rpc('aliases')).toEqual([{ match: 'claude-*', to: 'main' }]);
    const routes = await rpc('list');
    expect(routes[0]).toMatchObject({ name: 'main', timeouts: { firstTokenMs: 2000, idleMs: 2000, totalMs: 10_000, connectMs: 10_000 } });
  });
});
