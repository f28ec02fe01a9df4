// The preflight holds a loose, free bound (the prompt's bytes) while it fits every budget, and counts
// the prompt only near a limit: the tokenizer stays off the hot path, and the slack never refuses.
// In team mode the shared check is awaited: its refusal reaches the client as the same 402, before any
// upstream byte (the database side is team/budget-holds.test.ts).
import { countTokens } from 'gpt-tokenizer';
import fc from 'fast-check';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/catalog';
import { failRouted } from '../gateway/routed-request';
import { sendOpenAIRoutingError } from '../gateway/openai/errors';
import { openLedger } from '../ledger/ledger';
import type { Ledger } from '../ledger/types';
import { Transport } from '../providers/transport';
import { startRouted } from '../routed';
import { runWithFailover } from '../router/failover';
import { RouterHealth } from '../router/health';
import { RouteTable, type Target } from '../router/resolve';
import { parseConfig } from '../settings/config-schema';
import { INPUT_MARGIN, inputBound } from './estimate';
import { Budgets, budgetPreflight, type SharedBudgetHolds } from './index';
import type { SharedAdmitInput } from './types';

const ledgers: Ledger[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const l of ledgers.splice(0)) await l.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
/** A data dir of the test's own, removed after it. */
const tempDir = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-preflight-'));
  dirs.push(d);
  return d;
};
/** An empty ledger of its own: the budgets' running totals start at zero. */
async function budgetsOver(budget: { name: string; usd: number }): Promise<Budgets> {
  const l = openLedger(tempDir());
  ledgers.push(l);
  const b = new Budgets(l, [{ ...budget, period: 'daily', mode: 'hard' }]);
  await l.flush();
  return b;
}

/** $1 per million tokens either way. */
const target: Target = {
  provider: { id: 'acme', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', keys: [], models: [] },
  model: 'm1',
  price: { input: 1, output: 1 },
};
const catalog = new Catalog();

function preflight(budgets: Budgets, text: string) {
  const held: Array<() => void> = [];
  const run = budgetPreflight({
    budgets,
    catalog,
    meter: { hold: (release) => held.push(release) },
    client: null,
    body: { messages: [{ role: 'user', content: text }], max_tokens: 100 },
    targets: [target],
  })!;
  run();
  return held;
}

describe('budget preflight', () => {
  it('the byte bound is never below the counted bound a tokenizer gives, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        const body = { messages: [{ role: 'user', content: text }] };
        expect(inputBound(body, 'bytes')).toBeGreaterThanOrEqual(countTokens(text));
      }),
      { seed: 0x5eed16, numRuns: 500 },
    );
  });

  it('holds the byte bound far from the limit, and the counted prompt near it', async () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(40); // 1,800 bytes, 361 tokens
    const bytes = inputBound({ messages: [{ role: 'user', content: text }] }, 'bytes');
    const counted = inputBound({ messages: [{ role: 'user', content: text }] }, 'count');
    expect(counted).toBeLessThan(bytes);
    expect(counted).toBeGreaterThanOrEqual(Math.ceil(countTokens(text) * INPUT_MARGIN));

    const budgets = await budgetsOver({ name: 'roomy', usd: 1 });
    preflight(budgets, text);
    expect(budgets.status()[0]!.reservedTokens).toBe(bytes + 100);

    // Room for the counted prompt but not for its bytes: admitted, holding the count.
    const usd = (counted + 100 + 10) / 1e6;
    const tight = await budgetsOver({ name: 'tight', usd });
    preflight(tight, text);
    expect(tight.status()[0]!.reservedTokens).toBe(counted + 100);
    expect(tight.warnings()).toEqual([]);
  });
});

describe('team mode preflight', () => {
  const cfg = parseConfig({
    providers: [
      { id: 'acme', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', models: [{ id: 'm1', price: { input: 1, output: 1 } }] },
    ],
    routes: [{ name: 'r', targets: [{ provider: 'acme', model: 'm1' }] }],
    health: {},
  });

  /** A port of one route: the engine's start, the failover loop and the failure answer, as the OpenAI dialect runs them. */
  async function servePort(budgets: Budgets, ledger: Ledger) {
    const table = new RouteTable(cfg.providers, cfg.routes, [], new RouterHealth());
    const vault = {
      keysFor: () => [{ label: 'k', secret: 'sk-test' }],
      setKeychainKey: () => undefined,
      deleteKeychainKey: () => false,
      describe: () => [],
    };
    const parts = { table: () => table, vault, ledger, catalog, transport: new Transport(), budgets };
    let opened = 0;
    const server = http.createServer((req, res) => {
      const signal = new AbortController().signal;
      const body = {
        model: 'r',
        messages: [{ role: 'user', content: 'The quick brown fox jumps over the lazy dog. '.repeat(20) }],
        max_tokens: 100,
      };
      const routed = startRouted(parts, {
        source: 'port',
        client: 'cursor',
        model: 'r',
        body,
        stream: false,
        signal,
        stickyOwner: 'cursor',
      });
      runWithFailover(routed.failover, async () => {
        opened++;
        return {};
      }).then(
        () => res.end('sent'),
        (error: unknown) => failRouted(res, routed.meter, error, signal, sendOpenAIRoutingError),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    return { url, opened: () => opened, close: () => new Promise<void>((r) => server.close(() => r())) };
  }

  async function teamBudgets(shared: SharedBudgetHolds): Promise<{ budgets: Budgets; ledger: Ledger }> {
    const ledger = openLedger(tempDir());
    ledgers.push(ledger);
    const budgets = new Budgets(ledger, [{ name: 'cap', period: 'daily', mode: 'hard', usd: 1 }], Date.now, {
      shared,
      totals: { spendTotals: async () => [] },
    });
    await budgets.refresh();
    return { budgets, ledger };
  }

  it('a refusal from the shared check reaches the client as a 402 naming the budget, and nothing is sent', async () => {
    const asked: SharedAdmitInput[] = [];
    const refusing: SharedBudgetHolds = {
      admit: async (input) => {
        asked.push(input);
        await new Promise((r) => setTimeout(r, 5)); // an answer that takes a round trip, as the database's does
        return { refused: { message: 'hard budget "cap" (global, daily, $1.00) would be exceeded: $0.9999 spent', unpriced: false } };
      },
    };
    const { budgets, ledger } = await teamBudgets(refusing);
    const port = await servePort(budgets, ledger);
    try {
      const res = await fetch(port.url, { method: 'POST' });
      expect(res.status).toBe(402);
      expect(await res.json()).toEqual({
        error: {
          message: 'hard budget "cap" (global, daily, $1.00) would be exceeded: $0.9999 spent',
          type: 'invalid_request_error',
          param: null,
          code: 'budget_exceeded',
        },
      });
      expect(port.opened()).toBe(0);
      // Asked with the loose bound, then (refused) once more with the counted prompt, as the local check
      // would; both times with the id of the row the refusal recorded. The local hold is given back.
      expect(asked).toHaveLength(2);
      expect(asked[1]!.estimateTokens).toBeLessThan(asked[0]!.estimateTokens);
      expect(asked[1]!.requestId).toBe(asked[0]!.requestId);
      expect(asked[0]!.budgets.map((b) => b.name)).toEqual(['cap']);
      expect(budgets.inFlight).toBe(0);
      await ledger.flush();
      expect((await ledger.recent(5)).map((r) => [r.id, r.httpStatus])).toEqual([[asked[0]!.requestId, 402]]);
    } finally {
      await port.close();
      budgets.close();
    }
  });

  it('a shared check that fails refuses with a 503 (fail closed); one that admits lets the request go', async () => {
    let down = true;
    const shared: SharedBudgetHolds = {
      admit: async () => {
        if (down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        return {};
      },
    };
    const { budgets, ledger } = await teamBudgets(shared);
    const port = await servePort(budgets, ledger);
    try {
      const refused = await fetch(port.url, { method: 'POST' });
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'budget_unavailable',
        message: expect.stringMatching(/^the team database cannot be reached to check hard budget "cap"/),
      });
      expect(refused.headers.get('retry-after')).toBe('2');
      down = false;
      expect((await fetch(port.url, { method: 'POST' })).status).toBe(200);
      expect(port.opened()).toBe(1);
    } finally {
      await port.close();
      budgets.close();
    }
  });
});
