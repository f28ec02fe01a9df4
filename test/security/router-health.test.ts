// Health can only be moved by the upstream's own behaviour, and stays bounded, through the real port:
// requests our code cannot process never open a healthy target's breaker, a 429 on one model leaves
// the key's other models alone, and thousands of ad-hoc model names do not grow health without end.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run as doctor } from '../../electron/commands/doctor';
import { captureIO } from '../../electron/commands/test-io.test-util';
import { MAX_AD_HOC_TARGETS } from '../../electron/engine/router/health';
import { startAnthropicFake, type AnthropicFake } from '../fakes/anthropic-fake';
import { startGeminiFake, type GeminiFake } from '../fakes/gemini-fake';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';
import { eventually, lastRow, tried } from '../support/router-fixtures';

let an: AnthropicFake;
let gm: GeminiFake;
let oa: OpenAIFake;
let h: Harness | undefined;
const ENV = { AN_KEY: 'k-an', GM_KEY: 'k-gm', OA_KEY: 'k-oa' };

async function engine(env: Record<string, string> = ENV) {
  h = await startHarness(
    {
      providers: [
        { id: 'an', kind: 'anthropic', baseUrl: an.url, keys: [{ env: 'AN_KEY' }], models: [{ id: 'claude-sonnet-4-5' }] },
        { id: 'gm', kind: 'gemini', baseUrl: gm.url, keys: [{ env: 'GM_KEY' }], models: [{ id: 'gemini-2.5-flash' }] },
        {
          id: 'acme',
          kind: 'openai-compatible',
          baseUrl: oa.url,
          keys: [{ env: 'OA_KEY', label: 'main' }],
          models: [{ id: 'x' }, { id: 'y' }],
        },
      ],
      routes: [
        // A fallback behind each: a request our code cannot process must not fail over to it either.
        {
          name: 'claude',
          targets: [
            { provider: 'an', model: 'claude-sonnet-4-5' },
            { provider: 'acme', model: 'y' },
          ],
        },
        {
          name: 'gem',
          targets: [
            { provider: 'gm', model: 'gemini-2.5-flash' },
            { provider: 'acme', model: 'y' },
          ],
        },
        { name: 'just-x', targets: [{ provider: 'acme', model: 'x' }] },
      ],
      health: { failureThreshold: 3, windowMs: 30_000, openMs: 15_000, maxCooldownMs: 60_000 },
    },
    env,
  );
}

const post = (path: string, body: unknown) =>
  fetch(`${h!.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h!.token}`, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
  });
const chat = (model: string, extra: Record<string, unknown> = {}) =>
  post('/v1/chat/completions', { model, messages: [{ role: 'user', content: 'hello' }], ...extra });
const health = () => h!.app.services.routes.health();
const target = async (provider: string, model: string) =>
  (await health()).targets.find((t) => t.provider === provider && t.model === model);

beforeAll(async () => {
  an = await startAnthropicFake({ apiKey: ENV.AN_KEY });
  gm = await startGeminiFake({ apiKey: ENV.GM_KEY, models: ['gemini-2.5-flash'] });
  oa = await startOpenAIFake({ apiKey: ENV.OA_KEY, models: ['x', 'y'], reply: 'fine', chunks: 2 });
});

afterEach(async () => {
  oa.faultBy(null);
  oa.fault(null);
  expect(await eventually(() => oa.inFlight() === 0)).toBe(true);
  await h?.close();
  h = undefined;
});

afterAll(async () => {
  await an?.close();
  await gm?.close();
  await oa?.close();
});

describe('requests our code cannot process never count against the target', () => {
  // `messages: [null]` passes the port's checks but the translation to Anthropic / Gemini throws on
  // it; before, that throw was counted as a network failure and opened the breaker for every client.
  for (const [route, provider, model, fake] of [
    ['claude', 'an', 'claude-sonnet-4-5', () => an],
    ['gem', 'gm', 'gemini-2.5-flash', () => gm],
  ] as const) {
    it(`${route}: ten malformed requests get 400, reach no upstream, fail over nowhere, and leave the breaker closed`, async () => {
      await engine();
      const upstream = fake().requests.length;
      const fallback = oa.requests.length;
      for (let i = 0; i < 10; i++) {
        const res = await post('/v1/chat/completions', { model: route, messages: [null], stream: i % 2 === 0 });
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
      }
      expect(fake().requests.length).toBe(upstream);
      expect(oa.requests.length).toBe(fallback);
      const t = await target(provider, model);
      expect(t).toMatchObject({ breaker: 'closed', failuresInWindow: 0, failures: 0 });
      // The port's validation refuses `messages: [null]` before routing (a 400 naming `messages.0`), so no
      // attempt was made; translation failures that get past validation are the next test's.
      // A normal request afterwards is served by the target itself.
      const ok = await chat(route);
      expect(ok.status).toBe(200);
      expect(tried(await lastRow(h!))).toEqual([[provider, `${provider.toUpperCase()}_KEY`, 200, null]]);
    });
  }

  it("the Anthropic dialect to a Gemini target: a tool_use id that cannot become a string, 400 in Anthropic's shape", async () => {
    await engine();
    // Valid JSON and a valid shape for the port, but `String(id)` throws a TypeError in translation.
    const id = { toString: 0, valueOf: 0 };
    const messages = [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: [{ type: 'tool_use', id, name: 'f', input: {} }] },
      { role: 'user', content: 'more' },
    ];
    for (let i = 0; i < 10; i++) {
      const res = await post('/v1/messages', { model: 'gem', max_tokens: 16, messages });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    }
    expect(await target('gm', 'gemini-2.5-flash')).toMatchObject({ breaker: 'closed', failures: 0 });
    expect((await post('/v1/messages', { model: 'gem', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] })).status).toBe(200);
  });
});

describe('rate limits are per (key, model)', () => {
  it('a 429 with Retry-After: 30 on model x cools only x: model y on the same key keeps succeeding', async () => {
    await engine();
    oa.faultBy((_n, body) => (body?.model === 'x' ? { status: 429, retryAfter: '30' } : null));
    const limited = await chat('acme/x');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(20);
    for (let i = 0; i < 5; i++) {
      const res = await chat('acme/y');
      expect(res.status).toBe(200);
    }
    expect(tried(await lastRow(h!))).toEqual([['acme', 'main', 200, null]]);
    // x itself is left alone while it cools: the upstream is not asked again.
    const before = oa.requests.length;
    expect((await chat('just-x')).status).toBeGreaterThanOrEqual(429);
    expect(oa.requests.length).toBe(before);
    const keys = (await health()).keys.filter((k) => k.provider === 'acme');
    expect(keys).toEqual([expect.objectContaining({ label: 'main', model: 'x', state: 'cooling-down' })]);
    expect(keys[0]!.until! - Date.now()).toBeGreaterThan(20_000);
  });

  it('a limit the provider says is account-wide (OpenAI `insufficient_quota`) cools the whole key', async () => {
    await engine();
    oa.faultBy((_n, body) =>
      body?.model === 'x' ? { status: 429, errorType: 'insufficient_quota', errorCode: 'insufficient_quota' } : null,
    );
    expect((await chat('acme/x')).status).toBe(429);
    const before = oa.requests.length;
    expect((await chat('acme/y')).status).toBeGreaterThanOrEqual(429);
    expect(oa.requests.length).toBe(before);
    expect((await health()).keys).toEqual([
      expect.objectContaining({ provider: 'acme', label: 'main', model: null, state: 'cooling-down' }),
    ]);
  });
});

describe('a retired key says when it is next checked', () => {
  it('routes.health and `switchboard doctor` show the re-check a minute after the refusal', async () => {
    await engine({ ...ENV, OA_KEY: 'a-revoked-key' });
    const started = Date.now();
    expect((await chat('acme/y')).status).toBe(502); // every key refused: nothing could answer
    const [key] = (await health()).keys;
    expect(key).toMatchObject({ provider: 'acme', label: 'main', state: 'retired', status: 401, model: null, failedProbes: 0 });
    expect(key!.nextCheckAt! - started).toBeGreaterThanOrEqual(59_000);
    expect(key!.nextCheckAt! - Date.now()).toBeLessThanOrEqual(60_000);
    // Within the backoff the upstream is not asked again.
    const before = oa.requests.length;
    await chat('acme/y');
    expect(oa.requests.length).toBe(before);
    await lastRow(h!); // flushes the ledger, which doctor (another process in real life) reads
    const io = captureIO({ dataDir: h!.dataDir, env: ENV });
    await doctor([], io);
    expect(io.stdoutText()).toMatch(
      /FAIL {2}key acme\/main: refused by the provider \(401\) on \S+, so the router stopped using it; it re-checks the key with one request by \S+ \(the wait doubles after each refusal, 1 min up to 30 min\)/,
    );
  });
});

describe('health state is bounded', () => {
  it("hundreds of ad-hoc model names keep a capped set; a configured target's open breaker is never evicted", async () => {
    await engine();
    oa.faultBy((_n, body) => (body?.model === 'x' ? { status: 500 } : null));
    for (let i = 0; i < 3; i++) await chat('just-x');
    expect((await target('acme', 'x'))?.breaker).toBe('open');
    oa.faultBy(null);
    const names = MAX_AD_HOC_TARGETS + 100;
    for (let i = 0; i < names; i++) {
      // The fake answers 404 for models it does not list: each still leaves a trace in health.
      const res = await chat(`acme/ad-hoc-${i}`);
      expect(res.status).toBe(404);
    }
    const snap = await health();
    const adHoc = snap.targets.filter((t) => t.model.startsWith('ad-hoc-'));
    expect(adHoc.length).toBeLessThanOrEqual(MAX_AD_HOC_TARGETS);
    expect(adHoc.some((t) => t.model === `ad-hoc-${names - 1}`)).toBe(true); // the most recent are kept
    expect(adHoc.some((t) => t.model === 'ad-hoc-0')).toBe(false);
    expect(snap.targets.find((t) => t.provider === 'acme' && t.model === 'x')).toMatchObject({ breaker: 'open' });
    expect(JSON.stringify(snap).length).toBeLessThan(2_000_000);
  });
});
