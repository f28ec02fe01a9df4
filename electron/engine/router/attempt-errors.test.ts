// Whose fault a failed attempt was: only the upstream's own behaviour may move health or fail over.
// The classifier on its own, the failover loop with a stand-in opener (the protocol side), and the
// reading of a 429's reach (one model, or the whole account).
import { describe, expect, it } from 'vitest';
import { UpstreamStreamError } from '../canonical/errors';
import { Transport } from '../providers/transport';
import { parseConfig } from '../settings/config-schema';
import type { Vault } from '../vault/types';
import { asAttemptError } from './attempt-errors';
import { runWithFailover } from './failover';
import { AttemptError, ClientRequestError, RoutingError } from './failures';
import { RouterHealth } from './health';
import { limitScope } from './limit-scope';
import { RouteTable } from './resolve';

const live = new AbortController().signal;
// The openers here never send: a real transport that opens no pool.
const transport = new Transport();
const classify = (error: unknown, phase: 'open' | 'stream' = 'open') => asAttemptError(error, live, live, 'timed out', phase).failureClass;
const coded = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe('asAttemptError', () => {
  it('blames the upstream only for transport failures, timeouts, malformed data and its stream errors', () => {
    expect(classify(coded('ECONNREFUSED'))).toBe('network');
    expect(classify(coded('ECONNRESET'))).toBe('network');
    expect(classify(coded('UND_ERR_SOCKET'))).toBe('network');
    expect(classify(coded('UND_ERR_CONNECT_TIMEOUT'))).toBe('timeout');
    expect(classify(coded('ERR_TLS_CERT_ALTNAME_INVALID'))).toBe('network');
    expect(classify(new SyntaxError('Unexpected token < in JSON'))).toBe('malformed');
    expect(classify(new UpstreamStreamError('overloaded'), 'stream')).toBe('server');
    expect(classify(new Error('the upstream stream closed before its end'), 'stream')).toBe('network');
  });

  it("our own failures are not the upstream's: the client's request we could not process, or our bug", () => {
    expect(classify(new ClientRequestError('tool schema is not an object', 'tools.0.function.parameters'))).toBe('client-request');
    expect(classify(new RangeError('Maximum call stack size exceeded'))).toBe('client-request');
    expect(classify(new TypeError("Cannot read properties of null (reading 'role')"))).toBe('internal');
    expect(classify(new Error('something of ours'))).toBe('internal');
    expect(classify(Object.assign(new TypeError('bad argument'), { code: 'ERR_INVALID_ARG_TYPE' }))).toBe('internal');
    expect(classify('a thrown string')).toBe('internal');
    expect(classify(new TypeError('x'), 'stream')).toBe('internal');
    expect(classify(new RangeError('Invalid string length'), 'stream')).toBe('internal');
  });

  it('names the field when translation says which one', () => {
    expect(asAttemptError(new ClientRequestError('not an object', 'tools.0'), live, live, '').message).toBe('not an object (at `tools.0`)');
  });
});

const cfg = parseConfig({
  providers: [
    { id: 'a', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:1/v1', keys: [{ env: 'K1', label: 'k1' }], models: [{ id: 'm' }] },
    { id: 'b', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:1/v1', keys: [{ env: 'K2', label: 'k2' }], models: [{ id: 'm' }] },
  ],
  routes: [
    {
      name: 'r',
      targets: [
        { provider: 'a', model: 'm' },
        { provider: 'b', model: 'm' },
      ],
    },
  ],
});
const vault: Vault = {
  keysFor: (_p, keys) => keys.flatMap((k) => ('env' in k ? [{ label: k.label ?? k.env, secret: `secret-${k.env}` }] : [])),
  setKeychainKey: () => undefined,
  deleteKeychainKey: () => false,
  describe: () => [],
};

describe('runWithFailover with our own failures', () => {
  for (const [thrown, status] of [
    [new ClientRequestError('cannot translate this tool'), 400],
    [new RangeError('Maximum call stack size exceeded'), 400],
    [new TypeError("Cannot read properties of undefined (reading 'x')"), 500],
  ] as const) {
    it(`${thrown.name}: ${status} to the client, no failover, and health never touched (even after 10)`, async () => {
      const health = new RouterHealth({ failureThreshold: 1, openMs: 60_000 });
      const { plan } = new RouteTable(cfg.providers, cfg.routes, [], health).resolve('r');
      const seen: string[] = [];
      for (let i = 0; i < 10; i++) {
        const error = await runWithFailover({ plan, vault, transport, signal: live }, async ({ target }) => {
          seen.push(target.provider.id);
          throw thrown;
        }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RoutingError);
        expect(error).toMatchObject({ status });
        expect((error as RoutingError).attempts).toEqual([
          expect.objectContaining({ provider: 'a', status: null, errorClass: status === 400 ? 'client-request' : 'internal' }),
        ]);
      }
      expect(seen).toEqual(Array(10).fill('a'));
      expect(health.snapshot().targets).toEqual([]); // not even a history entry
      expect(health.availability('a/m')).toEqual({ ok: true, probe: false });
    });
  }

  it('a half-open target whose probe request fails in our code lets the next request probe', async () => {
    let t = 1_000_000;
    const health = new RouterHealth({ failureThreshold: 1, openMs: 1000 }, () => t);
    const { plan } = new RouteTable(cfg.providers, cfg.routes, [], health).resolve('r');
    health.failure('a/m', 'server', 500);
    t += 1001;
    await runWithFailover({ plan, vault, transport, signal: live }, async () => {
      throw new ClientRequestError('nope');
    }).catch(() => undefined);
    expect(health.availability('a/m')).toEqual({ ok: true, probe: true });
  });

  it('a retired key past its backoff is probed by one request and returns when it answers', async () => {
    let t = 1_000_000;
    const health = new RouterHealth({}, () => t);
    const { plan } = new RouteTable(cfg.providers, cfg.routes, [], health).resolve('r');
    let refuse = true;
    const open = async ({ target }: { target: { provider: { id: string } } }) => {
      if (target.provider.id === 'a' && refuse) throw new AttemptError('auth', 'Incorrect API key provided.', 401);
      return { ok: true };
    };
    expect((await runWithFailover({ plan, vault, transport, signal: live }, open)).target.provider.id).toBe('b');
    // Retired: not tried within its backoff.
    expect((await runWithFailover({ plan, vault, transport, signal: live }, open)).attempts.map((a) => a.provider)).toEqual(['b']);
    t += 60_000;
    refuse = false;
    const probed = await runWithFailover({ plan, vault, transport, signal: live }, open);
    expect(probed.target.provider.id).toBe('a');
    expect(health.snapshot().keys).toEqual([]);
  });

  it("only one request at a time is a retired key's probe", async () => {
    let t = 1_000_000;
    const health = new RouterHealth({}, () => t);
    const { plan } = new RouteTable(cfg.providers, cfg.routes, [], health).resolve('r');
    const seen: string[] = [];
    const open = async ({ target }: { target: { provider: { id: string } } }) => {
      seen.push(target.provider.id);
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (target.provider.id === 'a') throw new AttemptError('auth', 'refused', 401);
      return { ok: true };
    };
    await runWithFailover({ plan, vault, transport, signal: live }, open); // retires a's key
    t += 60_000;
    seen.length = 0;
    const served = await Promise.all(Array.from({ length: 5 }, () => runWithFailover({ plan, vault, transport, signal: live }, open)));
    expect(seen.filter((p) => p === 'a')).toHaveLength(1);
    expect(served.every((s) => s.target.provider.id === 'b')).toBe(true);
    expect(health.snapshot().keys).toEqual([
      expect.objectContaining({ label: 'k1', state: 'retired', failedProbes: 1, nextCheckAt: t + 120_000 }),
    ]);
  });
});

describe('limitScope', () => {
  it('a plain rate limit covers one model', () => {
    expect(
      limitScope(
        429,
        JSON.stringify({
          error: { message: 'Rate limit reached for gpt-4o on requests per min', type: 'requests', code: 'rate_limit_exceeded' },
        }),
      ),
    ).toBe('model');
    expect(
      limitScope(
        429,
        JSON.stringify({
          type: 'error',
          error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' },
        }),
      ),
    ).toBe('model');
    expect(limitScope(429, 'Too Many Requests')).toBe('model');
    expect(limitScope(429, '')).toBe('model');
  });

  it("OpenAI's quota family and a Gemini per-project quota cover the whole key", () => {
    expect(
      limitScope(
        429,
        JSON.stringify({ error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } }),
      ),
    ).toBe('key');
    expect(limitScope(429, JSON.stringify({ error: { type: 'insufficient_quota', code: 'project_spend_limit_exceeded' } }))).toBe('key');
    const gemini = (dims: Record<string, string>) =>
      JSON.stringify({
        error: {
          code: 429,
          status: 'RESOURCE_EXHAUSTED',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
              violations: [{ quotaMetric: 'generate_content_requests', quotaDimensions: dims }],
            },
          ],
        },
      });
    expect(limitScope(429, gemini({ location: 'global', model: 'gemini-2.5-flash' }))).toBe('model');
    expect(limitScope(429, gemini({ location: 'global' }))).toBe('key');
    expect(limitScope(429, `[${gemini({})}]`)).toBe('key');
  });

  it('only a 429 is a rate limit', () => {
    expect(limitScope(403, JSON.stringify({ error: { type: 'insufficient_quota' } }))).toBe('model');
  });
});
