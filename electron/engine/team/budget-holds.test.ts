// Hard budgets across instances, against a real PostgreSQL: two pools are two instances; a burst split
// over them is held to the budget, the shipper's swap (row in, hold out, one transaction) never lets
// spend pass it, member budgets count every token of the member, and a database that is down refuses.
import { describe, expect, it } from 'vitest';
import { teamLab } from '../../../test/support/team-lab';
import { Budgets, budgetPreflight, type BudgetConfig } from '../budgets';
import { Catalog } from '../catalog/catalog';
import { openLedger } from '../ledger/ledger';
import type { Ledger } from '../ledger/types';
import type { Target } from '../router/resolve';
import { RoutingError } from '../router/failures';
import { BudgetDatabaseError, TeamBudgetHolds } from './budget-holds';
import type { Database } from './database';
import { migrateTeamSchema } from './schema';

const lab = teamLab();

/** A fresh, migrated database and `n` pools on it: each pool is one instance. */
async function instances(n: number): Promise<Database[]> {
  const url = await lab.freshUrl();
  const pools = Array.from({ length: n }, () => lab.pool(url));
  await migrateTeamSchema(pools[0]!);
  return pools;
}

const CAP: BudgetConfig = { name: 'cap', period: 'daily', mode: 'hard', usd: 0.1 };
let ids = 0;
const admitOne = (
  holds: TeamBudgetHolds,
  o: { client?: string; member?: string | null; usd?: number | null; budgets?: BudgetConfig[] } = {},
) => {
  const requestId = `r${++ids}`;
  return holds
    .admit({
      requestId,
      client: o.client ?? 'cursor',
      member: o.member ?? null,
      estimateUsd: o.usd === undefined ? 0.01 : o.usd,
      estimateTokens: 100,
      unpriced: ['acme/mystery'],
      budgets: o.budgets ?? [CAP],
      now: Date.now(),
      holdMs: 60_000,
    })
    .then((r) => ({ requestId, ...r }));
};

/** Admits `n` requests at once, alternating between the instances; returns the admitted ids. */
async function burst(holds: TeamBudgetHolds[], n: number, o: Parameters<typeof admitOne>[1] = {}): Promise<string[]> {
  const results = await Promise.all(Array.from({ length: n }, (_, i) => admitOne(holds[i % holds.length]!, o)));
  return results.filter((r) => !r.refused).map((r) => r.requestId);
}

/** What the team ledger's shipper does: the requests' rows in, their holds out, in one transaction. */
async function ship(db: Database, requestIds: string[], costUsd: number, client = 'cursor'): Promise<void> {
  const c = await db.connect();
  try {
    await c.query('BEGIN');
    for (const id of requestIds) {
      await c.query(
        `INSERT INTO requests (id, started_at, source, client, status, http_status, attempts, input_tokens, output_tokens, cost_usd, duration_ms)
         VALUES ($1, $2, 'port', $3, 'ok', 200, '[]', 10, 5, $4, 1) ON CONFLICT (id) DO NOTHING`,
        [id, Date.now(), client, costUsd],
      );
    }
    await c.query('DELETE FROM budget_holds WHERE request_id = ANY($1::text[])', [requestIds]);
    await c.query('COMMIT');
  } finally {
    c.release();
  }
}

async function spentToday(db: Database, scope = '*'): Promise<number> {
  const day = new Date().toISOString().slice(0, 10);
  const { rows } = await db.query<{ usd: number }>('SELECT usd FROM spend_totals WHERE scope = $1 AND period = $2', [scope, day]);
  return rows[0]?.usd ?? 0;
}

describe('team budget holds', () => {
  it('a burst of 50 split over two instances admits exactly what fits; shipped rows replace their holds', async () => {
    const [a, b] = await instances(2);
    const holds = [new TeamBudgetHolds(a!), new TeamBudgetHolds(b!)];
    const first = await burst(holds, 50);
    expect(first).toHaveLength(10); // $0.01 each under $0.10
    // The rows cost less than their worst case: the difference is free again, and only that.
    await ship(b!, first, 0.004);
    expect(await spentToday(a!)).toBeCloseTo(0.04, 9);
    const second = await burst(holds, 50);
    expect(second).toHaveLength(6);
    await ship(a!, second, 0.01);
    expect(await spentToday(a!)).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(await burst(holds, 10)).toHaveLength(0);
    expect((await a!.query('SELECT count(*)::int AS n FROM budget_holds')).rows[0]).toEqual({ n: 0 });
  });

  it('admits and the shipper racing never pass the budget: spend and holds are read in one snapshot', async () => {
    const [a, b] = await instances(2);
    const holds = [new TeamBudgetHolds(a!), new TeamBudgetHolds(b!)];
    // Five tools, each with its own $0.10: five chances for a check to land in the middle of a swap.
    for (let tool = 0; tool < 5; tool++) {
      const client = `tool${tool}`;
      const o = { client, budgets: [{ ...CAP, client }] };
      let admitted: string[] = [];
      let total = 0;
      // Each row costs its whole worst case, so no more than ten of the tool's requests may ever be admitted.
      for (let round = 0; round < 4; round++) {
        const toShip = admitted;
        const shipping = toShip.length ? ship(round % 2 ? a! : b!, toShip, 0.01, client) : undefined;
        const [fresh] = await Promise.all([burst(holds, 12, o), shipping]);
        admitted = fresh;
        total += fresh.length;
      }
      if (admitted.length) await ship(a!, admitted, 0.01, client);
      expect(total).toBe(10);
      expect(await spentToday(b!, `client:${client}`)).toBeLessThanOrEqual(0.1 + 1e-9);
    }
  });

  it('a finished request holds what it cost, not its worst case, while its row waits to ship', async () => {
    const [db] = await instances(1);
    const holds = new TeamBudgetHolds(db!);
    // A worst case of $0.06 against $0.10: two at once do not fit.
    const first = await admitOne(holds, { usd: 0.06 });
    expect(first.refused).toBeUndefined();
    expect((await admitOne(holds, { usd: 0.06 })).refused).toBeDefined();
    // The first ends having cost $0.001; its row has not reached the database yet.
    holds.settle(first.requestId, 0.001, 15);
    const deadline = Date.now() + 2_000;
    let next = await admitOne(holds, { usd: 0.06 });
    while (next.refused && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      next = await admitOne(holds, { usd: 0.06 });
    }
    expect(next.refused).toBeUndefined();
    const { rows } = await db!.query('SELECT usd FROM budget_holds WHERE request_id = $1', [first.requestId]);
    expect(rows).toEqual([{ usd: 0.001 }]);
    // An unknown cost keeps the worst case held until the row lands.
    const unknown = await admitOne(holds, { usd: 0.02 });
    holds.settle(unknown.requestId, null, 15);
    await new Promise((r) => setTimeout(r, 100));
    const held = await db!.query('SELECT usd FROM budget_holds WHERE request_id = $1', [unknown.requestId]);
    expect(held.rows).toEqual([{ usd: 0.02 }]);
  });

  it('a member budget counts the holds and spend of every token of that member, and no one else', async () => {
    const [a, b] = await instances(2);
    await a!.query("INSERT INTO members (name) VALUES ('alice'), ('bob')");
    await a!.query(
      `INSERT INTO client_tokens (name, hash, prefix, member) VALUES
       ('alice-laptop', 'h1', 'sbt_a1', 'alice'), ('alice-ci', 'h2', 'sbt_a2', 'alice'), ('bob-laptop', 'h3', 'sbt_b1', 'bob')`,
    );
    const budgets: BudgetConfig[] = [{ name: 'alice daily', member: 'alice', period: 'daily', mode: 'hard', usd: 0.05 }];
    const ha = new TeamBudgetHolds(a!);
    const hb = new TeamBudgetHolds(b!);
    const laptop = await burst([ha], 2, { client: 'alice-laptop', member: 'alice', usd: 0.02, budgets });
    expect(laptop).toHaveLength(2);
    const refused = await admitOne(hb, { client: 'alice-ci', member: 'alice', usd: 0.02, budgets });
    expect(refused.refused).toEqual({
      unpriced: false,
      message: expect.stringContaining(
        'hard budget "alice daily" (member alice, daily, $0.0500) would be exceeded: $0.00 spent + $0.0400 held by requests in flight + up to $0.0200 for this request',
      ),
    });
    // Bob's requests are not the member's: not held to it, not counted in it.
    expect((await admitOne(hb, { client: 'bob-laptop', member: 'bob', usd: 0.02, budgets })).refused).toBeUndefined();
    // The laptop's rows arrive (the trigger counts them for the member): spend instead of holds.
    await ship(b!, laptop, 0.02, 'alice-laptop');
    expect(await spentToday(a!, 'member:alice')).toBeCloseTo(0.04, 9);
    const again = await admitOne(ha, { client: 'alice-ci', member: 'alice', usd: 0.02, budgets });
    expect(again.refused?.message).toMatch(/\$0\.0400 spent \+ up to \$0\.0200 for this request/);
    expect((await admitOne(ha, { client: 'alice-ci', member: 'alice', usd: 0.01, budgets })).refused).toBeUndefined();
  });

  it('refuses an unknown price under a hard USD budget unless it allows unpriced requests; token and soft budgets never ask', async () => {
    const [a] = await instances(1);
    const holds = new TeamBudgetHolds(a!);
    const refused = await admitOne(holds, { usd: null });
    expect(refused.refused?.unpriced).toBe(true);
    expect(refused.refused?.message).toMatch(/hard budget "cap" .* cannot count the cost of acme\/mystery: no price is known for it/);
    expect((await admitOne(holds, { usd: null, budgets: [{ ...CAP, allowUnpriced: true }] })).refused).toBeUndefined();
    expect(
      (await admitOne(holds, { usd: null, budgets: [{ name: 't', period: 'daily', mode: 'hard', tokens: 1000 }] })).refused,
    ).toBeUndefined();
    const { rows } = await a!.query('SELECT usd, tokens FROM budget_holds ORDER BY request_id');
    expect(rows).toEqual([
      { usd: 0, tokens: 100 },
      { usd: 0, tokens: 100 },
    ]);
  });

  it('ignores expired holds (an instance died holding them) and deletes them now and then', async () => {
    const [a] = await instances(1);
    const now = Date.now();
    await a!.query(
      "INSERT INTO budget_holds (request_id, client, usd, tokens, held_at, expires_at) VALUES ('dead', 'cursor', 0.1, 100, $1, $2)",
      [now - 120_000, now - 1],
    );
    await a!.query(
      "INSERT INTO budget_holds (request_id, client, usd, tokens, held_at, expires_at) VALUES ('live', 'cursor', 0.05, 100, $1, $2)",
      [now, now + 60_000],
    );
    const holds = new TeamBudgetHolds(a!, { sweepEveryMs: 0 });
    expect(await burst([holds], 10)).toHaveLength(5);
    const deadline = Date.now() + 5_000;
    let left = 1;
    while (left > 0 && Date.now() < deadline) {
      left = (await a!.query("SELECT count(*)::int AS n FROM budget_holds WHERE request_id = 'dead'")).rows[0].n;
      if (left > 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(left).toBe(0);
  });

  it('Budgets in team mode shows every instance’s spend from spend_totals, and takes member budgets', async () => {
    const [a, b] = await instances(2);
    const holds = new TeamBudgetHolds(a!);
    const budgets = new Budgets(ledger(), [CAP, { name: 'alice', member: 'alice', period: 'monthly', mode: 'soft', usd: 1 }], Date.now, {
      totals: holds,
      shared: holds,
      refreshMs: 60_000,
      memberOf: (client) => (client.startsWith('alice-') ? 'alice' : null),
    });
    lab.closeAfter(budgets);
    await b!.query("INSERT INTO members (name) VALUES ('alice')");
    await b!.query("INSERT INTO client_tokens (name, hash, prefix, member) VALUES ('alice-laptop', 'h1', 'sbt_a1', 'alice')");
    await ship(b!, ['x1', 'x2'], 0.03, 'alice-laptop'); // another instance's rows
    await budgets.refresh();
    expect(budgets.status().map((s) => [s.name, s.knownSpentUsd])).toEqual([
      ['cap', 0.06],
      ['alice', 0.06],
    ]);
    expect(budgets.hardFor('alice-laptop').map((b) => b.name)).toEqual(['cap']);
  });
});

describe('the team preflight', () => {
  /** $1 per million tokens either way: a short prompt with max_tokens 100 costs about $0.0001 at worst. */
  const target: Target = {
    provider: { id: 'acme', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', keys: [], models: [] },
    model: 'm1',
    price: { input: 1, output: 1 },
  };
  const preflight = (budgets: Budgets, client = 'cursor') =>
    budgetPreflight({
      budgets,
      catalog: new Catalog(),
      meter: { id: `p${++ids}`, hold: () => {} },
      client,
      body: { messages: [{ role: 'user', content: 'hello' }], max_tokens: 100 },
      targets: [target],
    })!;
  const teamBudgets = (db: Database, list: BudgetConfig[]) => {
    const holds = new TeamBudgetHolds(db, { timeoutMs: 3_000 });
    return lab.closeAfter(new Budgets(ledger(), list, Date.now, { totals: holds, shared: holds, refreshMs: 60_000 }));
  };

  it('never touches the database without a hard budget: the preflight stays synchronous', async () => {
    // A pool on a port nothing listens on: any query would fail.
    const dead = lab.pool(`postgres://postgres@127.0.0.1:${lab.cluster().port + 1}/none`, { connectTimeoutMs: 500 });
    const budgets = teamBudgets(dead, [
      { name: 'warn', period: 'daily', mode: 'soft', usd: 1 },
      { name: 'other', client: 'aider', period: 'daily', mode: 'hard', usd: 1 },
    ]);
    expect(preflight(budgets)()).toBeUndefined();
    // The hard budget of another client's does not apply either; aider's does, and fails closed.
    const error = await Promise.resolve(preflight(budgets, 'aider')()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RoutingError);
    expect(error).toMatchObject({ status: 503, code: 'budget_unavailable' });
  });

  it('fails closed while the database is down, with a 503 naming the budget, and admits again when it is back', async () => {
    const [a] = await instances(1);
    const budgets = teamBudgets(a!, [{ name: 'cap', period: 'daily', mode: 'hard', usd: 1 }]);
    await preflight(budgets)();
    expect((await a!.query('SELECT count(*)::int AS n FROM budget_holds')).rows[0].n).toBe(1);
    const direct = new TeamBudgetHolds(a!, { timeoutMs: 3_000 });
    lab.cluster().pause();
    try {
      const error = await Promise.resolve(preflight(budgets)()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RoutingError);
      expect((error as RoutingError).status).toBe(503);
      expect((error as RoutingError).message).toBe(
        'the team database cannot be reached to check hard budget "cap" (global, daily, $1.00); the request was not sent. Try again shortly.',
      );
      expect(await admitOne(direct).catch((e: unknown) => e)).toBeInstanceOf(BudgetDatabaseError);
    } finally {
      await lab.cluster().resume();
    }
    await preflight(budgets)();
    expect((await a!.query('SELECT count(*)::int AS n FROM budget_holds')).rows[0].n).toBe(2);
  }, 60_000);
});

/** Budgets want a ledger; in team mode they count nothing from it (the totals come from the database). */
const ledger = (): Ledger => lab.closeAfter(openLedger(lab.tempDir('sb-team-budget-')));
