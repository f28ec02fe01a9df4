// The failover loop with a stand-in opener (the protocol side): which targets and keys it tries, and
// what the shared health learns. The wire-level behaviour is covered in test/integration/router-*.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../settings/config-schema';
import type { Vault } from '../vault/types';
import { runWithFailover } from './failover';
import { AttemptError, RoutingError } from './failures';
import { RouterHealth } from './health';
import { RouteTable } from './resolve';
import { Transport } from '../providers/transport';

const cfg = parseConfig({
  providers: [
    {
      id: 'a',
      kind: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:1/v1',
      keys: [
        { env: 'K1', label: 'k1' },
        { env: 'K2', label: 'k2' },
      ],
      models: [{ id: 'm', contextWindow: 1000 }],
    },
    {
      id: 'b',
      kind: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:1/v1',
      keys: [{ env: 'K3', label: 'k3' }],
      models: [{ id: 'm', contextWindow: 500 }],
    },
    {
      id: 'c',
      kind: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:1/v1',
      keys: [{ env: 'K3', label: 'k3' }],
      models: [{ id: 'm', contextWindow: 9000 }],
    },
  ],
  routes: [
    {
      name: 'r',
      timeouts: { firstTokenMs: 50 },
      targets: [
        { provider: 'a', model: 'm' },
        { provider: 'b', model: 'm' },
        { provider: 'c', model: 'm' },
      ],
    },
  ],
  health: {},
});
const vault: Vault = {
  keysFor: (_p, keys) => keys.flatMap((k) => ('env' in k ? [{ label: k.label ?? k.env, secret: `secret-${k.env}` }] : [])),
  setKeychainKey: () => undefined,
  deleteKeychainKey: () => false,
  describe: () => [],
};
const signal = new AbortController().signal;
// The openers here never send: a real transport that opens no pool.
const transport = new Transport();

function setup() {
  const health = new RouterHealth({ failureThreshold: 1, openMs: 60_000 });
  const table = new RouteTable(cfg.providers, cfg.routes, [], health);
  return { health, plan: table.resolve('r').plan };
}

describe('runWithFailover', () => {
  it('takes the route plan as an explicit input: resolve returns it beside the targets, which carry nothing hidden', () => {
    const resolution = new RouteTable(cfg.providers, cfg.routes, [], new RouterHealth()).resolve('r');
    expect(resolution.plan.timeouts.firstTokenMs).toBe(50);
    expect(Object.getOwnPropertySymbols(resolution.targets)).toEqual([]);
  });

  it('rotates keys on auth failure and moves on after a server error; the shared health learns both', async () => {
    const { health, plan } = setup();
    const seen: string[] = [];
    const served = await runWithFailover({ plan, vault, transport, signal }, async ({ target, key }) => {
      seen.push(`${target.provider.id}:${key.label}`);
      if (key.label === 'k1') throw new AttemptError('auth', 'bad key', 401);
      if (target.provider.id === 'a') throw new AttemptError('server', 'boom', 500);
      return { ok: true };
    });
    expect(seen).toEqual(['a:k1', 'a:k2', 'b:k3']);
    expect(served.target.provider.id).toBe('b');
    const snap = health.snapshot();
    expect(snap.keys).toEqual([expect.objectContaining({ label: 'k1', state: 'retired' })]);
    expect(snap.targets.find((t) => t.provider === 'a')?.breaker).toBe('open');
  });

  it('applies the first-token timeout to streams, aborting the slow attempt', async () => {
    const { plan } = setup();
    let abortedA = false;
    const served = await runWithFailover(
      { plan, vault, transport, signal, stream: true },
      ({ target, signal: s }) =>
        new Promise<{ ok: boolean }>((resolve) => {
          if (target.provider.id !== 'a') return resolve({ ok: true });
          s.addEventListener('abort', () => {
            abortedA = true;
          });
        }),
    );
    expect(abortedA).toBe(true);
    expect(served.attempts.map((x) => [x.provider, x.errorClass ?? null])).toEqual([
      ['a', 'timeout'],
      ['b', null],
    ]);
  });

  it('after a context-length error only tries targets with a larger window, else returns the 400', async () => {
    const { plan } = setup();
    const seen: string[] = [];
    const served = await runWithFailover({ plan, vault, transport, signal }, async ({ target }) => {
      seen.push(target.provider.id);
      if (target.provider.id === 'a') throw new AttemptError('context-length', 'too long', 400);
      return { ok: true };
    });
    expect(seen).toEqual(['a', 'c']); // b's window (500) is smaller than a's (1000)
    expect(served.target.provider.id).toBe('c');
    const error = await runWithFailover({ plan, vault, transport, signal }, async () => {
      throw new AttemptError('context-length', 'too long', 400);
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RoutingError);
    expect(error).toMatchObject({ status: 400, code: 'context_length_exceeded' });
  });

  it("stops at the caller's own fault without trying others", async () => {
    const { plan } = setup();
    let calls = 0;
    const error = await runWithFailover({ plan, vault, transport, signal }, async () => {
      calls++;
      throw new AttemptError('bad-request', 'temperature must be <= 2', 400);
    }).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(error).toMatchObject({ status: 400, message: 'temperature must be <= 2' });
  });
});

describe('retiredKeysFromLedger', () => {
  it('lists keys whose latest attempt failed authentication, newest rows first', async () => {
    const { retiredKeysFromLedger } = await import('./retired-keys');
    const row = (at: number, attempts: Array<{ keyLabel: string; status: number; errorClass?: string }>) =>
      ({ startedAt: at, attempts: attempts.map((x) => ({ provider: 'p', model: 'm', durationMs: 1, ...x })) }) as never;
    const rows = [
      row(3, [
        { keyLabel: 'k1', status: 401, errorClass: 'auth' },
        { keyLabel: 'k2', status: 200 },
      ]),
      row(2, [{ keyLabel: 'k2', status: 403, errorClass: 'auth' }]), // older than k2's success
    ];
    // Each entry also says when the router re-checks the key (1 min after a first refusal).
    expect(retiredKeysFromLedger(rows)).toEqual([{ provider: 'p', label: 'k1', status: 401, at: 3, refusals: 1, nextCheckAt: 3 + 60_000 }]);
  });

  it('counts refusals in a row back to the last answer: each failed re-check doubles the wait, up to 30 min', async () => {
    const { retiredKeysFromLedger } = await import('./retired-keys');
    const row = (at: number, errorClass?: string) =>
      ({
        startedAt: at,
        attempts: [{ provider: 'p', model: 'm', keyLabel: 'k', status: errorClass ? 401 : 200, errorClass, durationMs: 1 }],
      }) as never;
    const refusals = (n: number) => Array.from({ length: n }, (_, i) => row(1000 - i, 'auth'));
    expect(retiredKeysFromLedger([...refusals(3), row(10), row(9, 'auth')])).toEqual([
      expect.objectContaining({ refusals: 3, at: 1000, nextCheckAt: 1000 + 4 * 60_000 }),
    ]);
    expect(retiredKeysFromLedger(refusals(12))[0]!.nextCheckAt).toBe(1000 + 30 * 60_000);
  });
});
