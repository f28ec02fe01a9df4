// The router's fault matrix: one test per upstream fault, through the real port with the official
// `openai` SDK against fake upstreams. Each asserts what the client receives, which targets (and keys)
// were tried, the breaker / cooldown state after, and the ledger row; after each, no upstream
// request is left running and, once the engine closes, no upstream connection is left open.
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run as doctor } from '../../electron/commands/doctor';
import { captureIO } from '../../electron/commands/test-io.test-util';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';
import { drain, eventually, lastRow, tried } from '../support/router-fixtures';

const A_REPLY = 'Alpha answers in six parts, slowly.';
const B_REPLY = 'Beta answers.';
let a: OpenAIFake;
let b: OpenAIFake;
let h: Harness | undefined;
let client: OpenAI;

const ENV = { A_KEY1: 'a-secret-1', A_KEY2: 'a-secret-2', B_KEY: 'b-secret' };
const TIMEOUTS = { firstTokenMs: 1500, idleMs: 1500, totalMs: 10_000 };

function config() {
  return {
    providers: [
      {
        id: 'alpha',
        kind: 'openai-compatible',
        baseUrl: a.url,
        keys: [
          { env: 'A_KEY1', label: 'a1' },
          { env: 'A_KEY2', label: 'a2' },
        ],
        models: [{ id: 'm1', contextWindow: 8192, price: { input: 1, output: 2 } }],
      },
      {
        id: 'beta',
        kind: 'openai-compatible',
        baseUrl: b.url,
        keys: [{ env: 'B_KEY', label: 'b1' }],
        models: [{ id: 'm2', contextWindow: 200_000, price: { input: 3, output: 6 } }],
      },
      // Nothing listens on port 9 (discard) on loopback: a refused connection.
      { id: 'dead', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', keys: [{ env: 'B_KEY' }], models: [{ id: 'm0' }] },
    ],
    routes: [
      {
        name: 'main',
        strategy: 'fallback',
        timeouts: TIMEOUTS,
        targets: [
          { provider: 'alpha', model: 'm1' },
          { provider: 'beta', model: 'm2' },
        ],
      },
      {
        name: 'refused',
        timeouts: TIMEOUTS,
        targets: [
          { provider: 'dead', model: 'm0' },
          { provider: 'beta', model: 'm2' },
        ],
      },
      {
        name: 'strict-ctx',
        contextFallback: false,
        timeouts: TIMEOUTS,
        targets: [
          { provider: 'alpha', model: 'm1' },
          { provider: 'beta', model: 'm2' },
        ],
      },
    ],
    health: { failureThreshold: 3, windowMs: 30_000, openMs: 60_000, maxCooldownMs: 30_000, defaultRateLimitMs: 2_000 },
  };
}

async function engine(env: Record<string, string> = ENV) {
  h = await startHarness(config(), env);
  client = new OpenAI({ baseURL: `${h.baseUrl}/v1`, apiKey: h.token, maxRetries: 0 });
}

// Each call is a new conversation, so sticky routing (tested on its own) does not steer these.
let n = 0;
const ask = (model = 'main', content = `hello ${++n}`) => client.chat.completions.create({ model, messages: [{ role: 'user', content }] });
const askStream = (model = 'main', content = `hello ${++n}`) =>
  client.chat.completions.create({ model, messages: [{ role: 'user', content }], stream: true });
const health = () => h!.app.services.routes.health();
const targetHealth = async (provider: string) => (await health()).targets.find((t) => t.provider === provider)!;

beforeAll(async () => {
  a = await startOpenAIFake({ reply: A_REPLY, chunks: 6, apiKeys: [ENV.A_KEY1, ENV.A_KEY2], models: ['m1'], contextWindow: 50 });
  b = await startOpenAIFake({ reply: B_REPLY, chunks: 3, apiKey: ENV.B_KEY, models: ['m2'] });
});

afterEach(async () => {
  a.fault(null);
  b.fault(null);
  // Every upstream request must be finished or aborted: a stalled or slow one the router gave up on included.
  const settled = await eventually(() => a.inFlight() === 0 && b.inFlight() === 0);
  await h?.close(); // closes the engine's upstream pool
  h = undefined;
  const closed = await eventually(() => a.openConnections() === 0 && b.openConnections() === 0);
  expect({ settled, closed, inFlight: [a.inFlight(), b.inFlight()], open: [a.openConnections(), b.openConnections()] }).toEqual({
    settled: true,
    closed: true,
    inFlight: [0, 0],
    open: [0, 0],
  });
});

afterAll(async () => {
  await a?.close();
  await b?.close();
});

describe('router fault matrix', () => {
  it('429 with Retry-After: both keys of the first target cool down for that long, the next target answers, nobody sleeps', async () => {
    await engine();
    a.fault({ status: 429, retryAfter: '7' });
    const started = Date.now();
    const r = await ask();
    expect(r.choices[0]?.message.content).toBe(B_REPLY);
    expect(Date.now() - started).toBeLessThan(5000); // it moved on instead of waiting 7 s
    const row = await lastRow(h!);
    expect(tried(row)).toEqual([
      ['alpha', 'a1', 429, 'rate-limited'],
      ['alpha', 'a2', 429, 'rate-limited'],
      ['beta', 'b1', 200, null],
    ]);
    expect(row.attempts[0]?.retryAfterMs).toBe(7000);
    expect(row).toMatchObject({ status: 'ok', provider: 'beta', model: 'm2', route: 'main' });
    const snap = await health();
    const keys = snap.keys.filter((k) => k.provider === 'alpha');
    expect(keys.map((k) => [k.label, k.state])).toEqual([
      ['a1', 'cooling-down'],
      ['a2', 'cooling-down'],
    ]);
    for (const k of keys) expect(k.until! - Date.now()).toBeGreaterThan(4000);
    expect((await targetHealth('alpha')).breaker).toBe('closed'); // rate limits are not ill health
    // While cooling, alpha is not even asked.
    const before = a.requests.length;
    expect((await ask()).choices[0]?.message.content).toBe(B_REPLY);
    expect(a.requests.length).toBe(before);
    expect(tried(await lastRow(h!))).toEqual([['beta', 'b1', 200, null]]);
  });

  it('429 with a huge Retry-After is capped; retry-after-ms is honoured; with nothing else healthy the router waits (bounded) and retries', async () => {
    await engine();
    a.fault({ status: 429, retryAfter: '86400' });
    await ask();
    const capped = (await health()).keys.find((k) => k.label === 'a1')!;
    expect(capped.until! - Date.now()).toBeLessThanOrEqual(30_000);
    // Only beta left, and it says "come back in 300 ms" once: a short, bounded wait, then success.
    b.faultBy((n) => (n === 1 ? { status: 429, retryAfterMs: '300' } : null));
    const r = await ask('beta/m2');
    expect(r.choices[0]?.message.content).toBe(B_REPLY);
    const row = await lastRow(h!);
    expect(tried(row)).toEqual([
      ['beta', 'b1', 429, 'rate-limited'],
      ['beta', 'b1', 200, null],
    ]);
    expect(row.attempts[0]?.retryAfterMs).toBe(300);
    b.faultBy(null);
  });

  it('500: the next target answers; three in the window open the breaker, and then the target is skipped', async () => {
    await engine();
    a.fault({ status: 500 });
    expect((await ask()).choices[0]?.message.content).toBe(B_REPLY);
    expect(tried(await lastRow(h!))).toEqual([
      ['alpha', 'a1', 500, 'server'],
      ['beta', 'b1', 200, null],
    ]);
    expect(await targetHealth('alpha')).toMatchObject({ breaker: 'closed', failuresInWindow: 1 });
    await ask();
    await ask();
    const opened = await targetHealth('alpha');
    expect(opened.breaker).toBe('open');
    expect(opened.openUntil! - Date.now()).toBeGreaterThan(50_000);
    expect(opened.recent.slice(-3).map((e) => e.status)).toEqual([500, 500, 500]);
    const before = a.requests.length;
    expect((await ask()).choices[0]?.message.content).toBe(B_REPLY);
    expect(a.requests.length).toBe(before);
    const row = await lastRow(h!);
    expect(tried(row)).toEqual([['beta', 'b1', 200, null]]);
    expect(row.status).toBe('ok');
  });

  it('503: the next target answers; counted against the breaker, no cooldown without Retry-After', async () => {
    await engine();
    a.fault({ status: 503 });
    const { text, error } = await drain(await askStream());
    expect(error).toBeNull();
    expect(text).toBe(B_REPLY);
    const row = await lastRow(h!);
    expect(tried(row)).toEqual([
      ['alpha', 'a1', 503, 'overloaded'],
      ['beta', 'b1', 200, null],
    ]);
    expect(row).toMatchObject({ status: 'ok', provider: 'beta', output_tokens: 3 });
    expect(await targetHealth('alpha')).toMatchObject({ breaker: 'closed', failuresInWindow: 1, cooldownUntil: null });
  });

  it('529 overloaded with Retry-After: the target itself cools down and is skipped meanwhile', async () => {
    await engine();
    a.fault({ status: 529, retryAfter: '5' });
    expect((await ask()).choices[0]?.message.content).toBe(B_REPLY);
    expect(tried(await lastRow(h!))).toEqual([
      ['alpha', 'a1', 529, 'overloaded'],
      ['beta', 'b1', 200, null],
    ]);
    const alpha = await targetHealth('alpha');
    expect(alpha.cooldownUntil! - Date.now()).toBeGreaterThan(3000);
    a.fault(null);
    const before = a.requests.length;
    await ask();
    expect(a.requests.length).toBe(before);
  });

  it('refused connection: recorded as a network failure without status, the next target answers', async () => {
    await engine();
    const { text, error } = await drain(await askStream('refused'));
    expect(error).toBeNull();
    expect(text).toBe(B_REPLY);
    const row = await lastRow(h!);
    expect(tried(row)).toEqual([
      ['dead', 'B_KEY', null, 'network'],
      ['beta', 'b1', 200, null],
    ]);
    expect(await targetHealth('dead')).toMatchObject({ breaker: 'closed', failuresInWindow: 1 });
  });

  it('reset before headers: a network failure, the next target answers', async () => {
    await engine();
    a.fault({ resetBeforeHeaders: true });
    expect((await ask()).choices[0]?.message.content).toBe(B_REPLY);
    expect(tried(await lastRow(h!))).toEqual([
      ['alpha', 'a1', null, 'network'],
      ['beta', 'b1', 200, null],
    ]);
    expect((await targetHealth('alpha')).failuresInWindow).toBe(1);
  });

  it('reset after N chunks: the client gets the text so far and then a stream error, never a clean end', async () => {
    await engine();
    a.fault({ afterChunks: 2 });
    const { text, error } = await drain(await askStream('main', 'tell me a long story please'));
    expect(text.length).toBeGreaterThan(0);
    expect(A_REPLY.startsWith(text)).toBe(true);
    expect(text).not.toBe(A_REPLY);
    expect(error?.message).toMatch(/mid-stream/);
    const row = await lastRow(h!);
    expect(tried(row)).toEqual([['alpha', 'a1', 200, 'network']]); // no failover once the client has tokens
    expect(row.attempts[0]?.midStream).toBe(true);
    expect(row).toMatchObject({ status: 'error', http_status: 502, provider: 'alpha' });
    expect(row.output_tokens).toBe(2); // estimated: one per content chunk received
    expect(row.input_tokens).toBeGreaterThan(0); // estimated from the prompt
    expect((await targetHealth('alpha')).failuresInWindow).toBe(1);
  });

  it('slow first token: the first-token timeout aborts the upstream and the next target answers', async () => {
    await engine();
    a.fault({ firstTokenDelayMs: 8000 });
    const { text, error } = await drain(await askStream());
    expect(error).toBeNull();
    expect(text).toBe(B_REPLY);
    const row = await lastRow(h!);
    expect(tried(row)).toEqual([
      ['alpha', 'a1', null, 'timeout'],
      ['beta', 'b1', 200, null],
    ]);
    expect(row.attempts[0]!.durationMs).toBeLessThan(6000);
    expect(await eventually(() => a.inFlight() === 0, 2000)).toBe(true); // the slow upstream was hung up on
    expect((await targetHealth('alpha')).failuresInWindow).toBe(1);
  });

  it('stalled stream: the idle timeout ends it with a stream error and closes the upstream', async () => {
    await engine();
    a.fault({ stallAfterChunks: 2 });
    const { text, error } = await drain(await askStream());
    expect(text.length).toBeGreaterThan(0);
    expect(error?.message).toMatch(/sent nothing for 1500 ms/);
    const row = await lastRow(h!);
    expect(tried(row)).toEqual([['alpha', 'a1', 200, 'timeout']]);
    expect(row).toMatchObject({ status: 'error', provider: 'alpha', output_tokens: 2 });
    expect(await eventually(() => a.inFlight() === 0, 2000)).toBe(true);
    expect(await targetHealth('alpha')).toMatchObject({ breaker: 'closed', failuresInWindow: 1 });
  });

  it('malformed SSE before the first token: skipped as malformed, the next target answers', async () => {
    await engine();
    a.fault({ malformed: true });
    const { text, error } = await drain(await askStream());
    expect(error).toBeNull();
    expect(text).toBe(B_REPLY);
    expect(tried(await lastRow(h!))).toEqual([
      ['alpha', 'a1', 200, 'malformed'],
      ['beta', 'b1', 200, null],
    ]);
    expect((await targetHealth('alpha')).failuresInWindow).toBe(1);
  });

  it('invalid JSON body: skipped as malformed, the next target answers', async () => {
    await engine();
    a.fault({ invalidJson: true });
    expect((await ask()).choices[0]?.message.content).toBe(B_REPLY);
    expect(tried(await lastRow(h!))).toEqual([
      ['alpha', 'a1', 200, 'malformed'],
      ['beta', 'b1', 200, null],
    ]);
    expect(await targetHealth('alpha')).toMatchObject({ breaker: 'closed', failuresInWindow: 1 });
  });

  it('401 on one of two keys: that key is retired (and shown so), the other key of the same target answers', async () => {
    await engine({ ...ENV, A_KEY1: 'a-revoked-key' });
    expect((await ask()).choices[0]?.message.content).toBe(A_REPLY);
    expect(tried(await lastRow(h!))).toEqual([
      ['alpha', 'a1', 401, 'auth'],
      ['alpha', 'a2', 200, null],
    ]);
    const snap = await health();
    expect(snap.keys).toEqual([expect.objectContaining({ provider: 'alpha', label: 'a1', state: 'retired', status: 401 })]);
    expect(JSON.stringify(snap)).not.toContain('a-revoked-key');
    expect(JSON.stringify(snap)).not.toContain('a-secret');
    // The retired key is not tried again.
    await ask();
    expect(tried(await lastRow(h!))).toEqual([['alpha', 'a2', 200, null]]);
    expect((await targetHealth('alpha')).breaker).toBe('closed');
    // `switchboard doctor` (another process, reading the ledger) names the key to replace.
    const io = captureIO({ dataDir: h!.dataDir, env: { ...ENV, A_KEY1: 'a-revoked-key' } });
    await doctor([], io);
    expect(io.stdoutText()).toMatch(/FAIL {2}key alpha\/a1: refused by the provider \(401\)/);
    expect(io.stdoutText()).not.toMatch(/key alpha\/a2/);
    expect(io.stdoutText()).not.toContain('a-revoked-key');
  });

  it('context-length error: falls over to a target with a larger window; a route that forbids it returns the 400', async () => {
    await engine();
    const long = 'word '.repeat(80); // over the fake alpha's 50-token window
    expect((await ask('main', long)).choices[0]?.message.content).toBe(B_REPLY);
    expect(tried(await lastRow(h!))).toEqual([
      ['alpha', 'a1', 400, 'context-length'],
      ['beta', 'b1', 200, null],
    ]);
    expect((await targetHealth('alpha')).failuresInWindow).toBe(0); // the prompt's fault, not the target's
    const error = await ask('strict-ctx', long).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('context_length_exceeded');
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toMatch(/maximum context length/);
    const row = await lastRow(h!);
    expect(tried(row)).toEqual([['alpha', 'a1', 400, 'context-length']]);
    expect(row).toMatchObject({ status: 'error', http_status: 400 });
  });
});
