// Budget tracker against a real ledger: periods roll over by UTC day and month, per-client budgets
// count only their client, requests in flight hold their worst case until their row is recorded,
// unpriced requests are refused by hard USD budgets unless allowed, and status agrees with messages.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestMeter } from '../accounting';
import { Catalog } from '../catalog/catalog';
import { openLedger } from '../ledger/ledger';
import type { Ledger, RequestRecord } from '../ledger/types';
import { Budgets } from './budgets';

const ledgers: Ledger[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const l of ledgers.splice(0)) await l.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
/** A data dir of the test's own, removed after it. */
const tempDir = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-budget-'));
  dirs.push(d);
  return d;
};
function ledger(): Ledger {
  const l = openLedger(tempDir());
  ledgers.push(l);
  return l;
}
let n = 0;
const row = (o: Partial<RequestRecord>): RequestRecord => ({
  id: `b${++n}`,
  startedAt: Date.now(),
  source: 'port',
  client: 'cursor',
  route: null,
  provider: 'p',
  model: 'm',
  status: 'ok',
  httpStatus: 200,
  attempts: [],
  inputTokens: 100,
  outputTokens: 50,
  costUsd: 1,
  ttftMs: 1,
  durationMs: 1,
  ...o,
});

describe('budgets', () => {
  it('seeds from the ledger, adds new rows, and starts over at the next UTC day and month', () => {
    const l = ledger();
    let now = Date.UTC(2025, 4, 31, 23, 0);
    l.record(row({ startedAt: now - 3_600_000, costUsd: 2 }));
    l.record(row({ startedAt: Date.UTC(2025, 4, 2), costUsd: 5 }));
    l.record(row({ startedAt: Date.UTC(2025, 3, 30), costUsd: 100 })); // last month: not counted
    const b = new Budgets(
      l,
      [
        { name: 'day', period: 'daily', mode: 'hard', usd: 3 },
        { name: 'month', period: 'monthly', mode: 'soft', usd: 10 },
        { name: 'aider', client: 'aider', period: 'daily', mode: 'hard', usd: 0.5 },
      ],
      () => now,
    );
    expect(b.status().map((s) => [s.name, s.spentUsd, s.state])).toEqual([
      ['day', 2, 'ok'],
      ['month', 7, 'ok'],
      ['aider', 0, 'ok'],
    ]);
    l.record(row({ startedAt: now, costUsd: 0.5 }));
    expect(b.check({ client: 'cursor', estimateUsd: 0.4, estimateTokens: 10 })).toEqual({ soft: [] });
    expect(b.check({ client: 'cursor', estimateUsd: 0.6, estimateTokens: 10 }).hard).toMatch(
      /hard budget "day" \(global, daily, \$3\.00\) would be exceeded: \$2\.50 spent \+ up to \$0\.6000 for this request/,
    );
    expect(b.check({ client: 'aider', estimateUsd: 0.6, estimateTokens: 10 }).hard).toMatch(/"day"/);
    now = Date.UTC(2025, 5, 1, 0, 30); // next day and next month
    expect(b.status().map((s) => [s.name, s.spentUsd])).toEqual([
      ['day', 0],
      ['month', 0],
      ['aider', 0],
    ]);
    expect(b.check({ client: 'cursor', estimateUsd: 2.9, estimateTokens: 10 }).hard).toBeUndefined();
    b.close();
  });

  it("counts a client's rows in the member its token belongs to now, after a move between members", () => {
    const l = ledger();
    const now = Date.UTC(2025, 4, 20, 12, 0);
    let member = 'ann';
    const b = new Budgets(
      l,
      [
        { name: 'ann', member: 'ann', period: 'daily', mode: 'hard', usd: 10 },
        { name: 'bob', member: 'bob', period: 'daily', mode: 'hard', usd: 10 },
      ],
      () => now,
      { memberOf: () => member },
    );
    l.record(row({ client: 'laptop', startedAt: now, costUsd: 1 }));
    member = 'bob';
    l.record(row({ client: 'laptop', startedAt: now, costUsd: 2 }));
    expect(b.status().map((s) => [s.name, s.spentUsd])).toEqual([
      ['ann', 1],
      ['bob', 2],
    ]);
    b.close();
  });

  it('remembers one soft warning per budget and period', () => {
    const l = ledger();
    const b = new Budgets(l, [{ name: 'soft', period: 'daily', mode: 'soft', tokens: 100 }]);
    for (let i = 0; i < 3; i++) expect(b.check({ client: null, estimateUsd: 0, estimateTokens: 500 }).soft).toHaveLength(1);
    expect(b.warnings()).toHaveLength(1);
    expect(b.warnings()[0]!.message).toMatch(/soft budget "soft" \(global, daily, 100 tokens\) reached: 0 tokens used \+ up to 500/);
    b.close();
  });
});

describe('reservations', () => {
  it('holds each admitted worst case until it is released, so a burst cannot pass the limit', () => {
    const b = new Budgets(ledger(), [{ name: 'cap', period: 'daily', mode: 'hard', usd: 1 }]);
    const admitted = [];
    // Ten requests at once, each $0.30 at worst: three fit under $1, the fourth would pass it.
    for (let i = 0; i < 10; i++) admitted.push(b.admit({ client: 'c', estimateUsd: 0.3, estimateTokens: 10 }));
    expect(admitted.filter((a) => a.reservation).length).toBe(3);
    expect(admitted[3]!.check.hard).toMatch(/\$0\.9000 held by requests in flight \+ up to \$0\.3000 for this request/);
    expect(b.inFlight).toBe(3);
    expect(b.status()[0]).toMatchObject({ reservedUsd: 0.9, knownSpentUsd: 0 });
    // Releasing twice gives back once.
    admitted[0]!.reservation!.release();
    admitted[0]!.reservation!.release();
    expect(b.inFlight).toBe(2);
    expect(b.admit({ client: 'c', estimateUsd: 0.3, estimateTokens: 10 }).reservation).toBeDefined();
    expect(b.admit({ client: 'c', estimateUsd: 0.3, estimateTokens: 10 }).reservation).toBeUndefined();
    b.close();
    expect(b.inFlight).toBe(0);
  });

  it('replaces the hold with the actual cost when the meter records the row, whatever the ending', async () => {
    const l = ledger();
    const b = new Budgets(l, [{ name: 'cap', period: 'daily', mode: 'hard', usd: 1 }]);
    const meter = new RequestMeter(l, new Catalog(), 'port', 'c', null);
    const { reservation } = b.admit({ client: 'c', estimateUsd: 0.5, estimateTokens: 10 });
    meter.hold(reservation!.release);
    expect(b.status()[0]).toMatchObject({ reservedUsd: 0.5 });
    // A cancelled request that no target answered: its row costs $0 and the hold is gone.
    meter.finish({ status: 'cancelled', httpStatus: 499, attempts: [] });
    expect(b.status()[0]).toMatchObject({ reservedUsd: 0, knownSpentUsd: 0 });
    expect(b.inFlight).toBe(0);
    // A hold that arrives after the end is given back at once; a second hold gives the first back.
    meter.hold(b.admit({ client: 'c', estimateUsd: 0.5, estimateTokens: 1 }).reservation!.release);
    expect(b.inFlight).toBe(0);
    const other = new RequestMeter(l, new Catalog(), 'port', 'c', null);
    other.hold(b.admit({ client: 'c', estimateUsd: 0.2, estimateTokens: 1 }).reservation!.release);
    other.hold(b.admit({ client: 'c', estimateUsd: 0.3, estimateTokens: 1 }).reservation!.release);
    expect(b.status()[0]!.reservedUsd).toBe(0.3);
    other.finish({ status: 'error', httpStatus: 502, attempts: [] });
    expect(b.inFlight).toBe(0);
    b.close();
  });

  it('keeps holds across a settings change, and drops a leaked hold after its deadline', () => {
    let now = Date.UTC(2025, 4, 10, 12);
    const b = new Budgets(ledger(), [{ name: 'cap', period: 'daily', mode: 'hard', usd: 1 }], () => now);
    const held = b.admit({ client: 'c', estimateUsd: 0.8, estimateTokens: 10 }, 60_000);
    b.update([{ name: 'cap2', period: 'monthly', mode: 'hard', usd: 1 }]);
    expect(b.admit({ client: 'c', estimateUsd: 0.3, estimateTokens: 10 }).check.hard).toMatch(/"cap2"/);
    now += 61_000;
    expect(b.admit({ client: 'c', estimateUsd: 0.3, estimateTokens: 10 }).reservation).toBeDefined();
    held.reservation!.release(); // late: a no-op
    expect(b.status()[0]!.reservedUsd).toBeCloseTo(0.3, 9);
    b.close();
  });

  it('drops each leaked hold at its own deadline, whichever order they were taken in', () => {
    let now = Date.UTC(2025, 4, 10, 12);
    const b = new Budgets(ledger(), [{ name: 'cap', period: 'daily', mode: 'hard', usd: 10 }], () => now);
    b.admit({ client: 'c', estimateUsd: 1, estimateTokens: 1 }, 120_000); // leaked, the later deadline
    b.admit({ client: 'c', estimateUsd: 2, estimateTokens: 1 }, 60_000); // leaked, the earlier one
    const reserved = () => b.status()[0]!.reservedUsd;
    now += 59_000;
    b.admit({ client: 'c', estimateUsd: 0, estimateTokens: 1 }, 600_000).reservation!.release();
    expect(reserved()).toBeCloseTo(3, 9);
    now += 2_000; // past the 60 s hold only
    b.admit({ client: 'c', estimateUsd: 0, estimateTokens: 1 }, 600_000).reservation!.release();
    expect(reserved()).toBeCloseTo(1, 9);
    now += 60_000; // past the 120 s hold too
    b.admit({ client: 'c', estimateUsd: 0, estimateTokens: 1 }, 600_000).reservation!.release();
    expect(reserved()).toBe(0);
    expect(b.inFlight).toBe(0);
    b.close();
  });
});

describe('unknown prices', () => {
  const unpriced = { client: 'c', estimateUsd: null, estimateTokens: 10, unpriced: ['acme/mystery'] };

  it('refuses an unpriced request under a hard USD budget, naming the model and how to price it', () => {
    const b = new Budgets(ledger(), [{ name: 'cap', period: 'daily', mode: 'hard', usd: 5 }]);
    const check = b.check(unpriced);
    expect(check.unpriced).toBe(true);
    expect(check.hard).toMatch(/hard budget "cap" .* cannot count the cost of acme\/mystery: no price is known for it/);
    expect(check.hard).toMatch(/"price": \{ "input": 1, "output": 2 \}/);
    expect(check.hard).toMatch(/"allowUnpriced": true/);
    b.close();
  });

  it('lets it through when the budget allows unpriced requests, and under token-only or soft budgets', () => {
    const l = ledger();
    const b = new Budgets(l, [
      { name: 'cap', period: 'daily', mode: 'hard', usd: 5, allowUnpriced: true },
      { name: 'tokens', period: 'daily', mode: 'hard', tokens: 1000 },
      { name: 'warn', period: 'daily', mode: 'soft', usd: 5 },
    ]);
    expect(b.check(unpriced)).toEqual({ soft: [] });
    // Its cost stays unknown in the status, beside the known part, never counted as $0.
    l.record(row({ client: 'c', costUsd: null }));
    l.record(row({ client: 'c', costUsd: 0.25 }));
    expect(b.status()[0]).toMatchObject({
      spentUsd: null,
      knownSpentUsd: 0.25,
      unknownCostRequests: 1,
      allowUnpriced: true,
      message: expect.stringContaining('not counting 1 request of unknown cost'),
    });
    b.close();
  });

  it('never refuses a request that cannot cost anything on its USD limit', () => {
    const l = ledger();
    const b = new Budgets(l, [{ name: 'cap', period: 'daily', mode: 'hard', usd: 1 }]);
    l.record(row({ client: 'c', costUsd: 1.5 }));
    expect(b.check({ client: 'c', estimateUsd: 0, estimateTokens: 10 }).hard).toBeUndefined();
    expect(b.check({ client: 'c', estimateUsd: 0.000001, estimateTokens: 10 }).hard).toMatch(/would be exceeded/);
    b.close();
  });
});

describe('status', () => {
  it('reports the percentage its own message says, uncapped, with the state switching at 100%', () => {
    const l = ledger();
    const b = new Budgets(l, [{ name: 'tiny', period: 'daily', mode: 'hard', usd: 0.004 }]);
    l.record(row({ client: 'c', costUsd: 0.005016 }));
    const [s] = b.status();
    expect(s).toMatchObject({
      spentUsd: 0.005016,
      limitUsd: 0.004,
      percent: 125,
      state: 'over',
      message: 'hard budget "tiny" (global, daily, $0.0040): 125% used',
    });
    const b2 = new Budgets(l, [{ name: 'edge', period: 'daily', mode: 'soft', usd: 0.005017 }]);
    expect(b2.status()[0]).toMatchObject({ percent: 99, state: 'near' });
    b.close();
    b2.close();
  });
});
