// The team database goes away for 10 s while rows are recorded at a steady rate: recording never waits
// for it, the rows wait in the local outbox (which says so), reads fail with a typed error naming the
// database without its password, the outage is reported once, and when the database returns every row
// arrives, each exactly once, without anyone asking.
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { openTeamLedger, TeamLedgerUnavailableError, type TeamLedger } from '../../electron/engine/team/ledger/team-ledger';
import { requestRow } from '../support/request-rows';
import { teamLab } from '../support/team-lab';
import { waitUntil } from '../support/wait';

const PASSWORD = 'outage-secret-pw';
const RATE_PER_S = 20;
const OUTAGE_MS = 10_000;
/** How long the rows may take to arrive once the database is back (the shipper backs off to 5 s at most). */
const ARRIVE_MS = 20_000;

const lab = teamLab();
let ledger: TeamLedger | undefined;

let seq = 0;
// Ids in order (the test reads the first and last), and 15 tokens a row (it adds them up).
const row = () => requestRow({ id: `o${String(++seq).padStart(4, '0')}`, inputTokens: 10, outputTokens: 5 });

/** Records `count` rows at RATE_PER_S; returns the slowest record() call (ms). */
async function recordSteadily(count: number): Promise<number> {
  let slowest = 0;
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    ledger!.record(row());
    slowest = Math.max(slowest, performance.now() - t);
    await delay(1000 / RATE_PER_S);
  }
  return slowest;
}

describe('a team database outage', () => {
  it('queues rows on disk while it lasts and ships each exactly once when it ends', async () => {
    const url = (await lab.freshUrl()).replace('postgres@', `postgres:${PASSWORD}@`); // trust auth ignores it
    const poolErrors: Error[] = [];
    const db = lab.pool(url, { connectTimeoutMs: 1_000, onError: (e) => poolErrors.push(e) });
    const errors: Error[] = [];
    const dataDir = lab.tempDir('sb-outage-');
    ledger = lab.closeAfter(await openTeamLedger({ dataDir, db, instance: 'outage', onError: (e) => errors.push(e), readWaitMs: 1_500 }));

    await recordSteadily(RATE_PER_S);
    await ledger.shipped();
    expect(ledger.outbox()).toMatchObject({ unshipped: 0, lastError: null });
    expect(ledger.outbox().lastShippedAt).toBeGreaterThan(0);

    lab.cluster().pause();
    const during = OUTAGE_MS / (1000 / RATE_PER_S);
    const half = recordSteadily(during / 2);
    const slowHalf = await half;
    const midway = ledger.outbox().unshipped;
    // A read cannot answer without the team's rows: a typed error naming the database, never its password.
    const read = await ledger.spend({}).catch((e: unknown) => e);
    expect(read).toBeInstanceOf(TeamLedgerUnavailableError);
    expect((read as Error).message).toContain(`127.0.0.1:${lab.cluster().port}`);
    const slowRest = await recordSteadily(during / 2);
    await ledger.flush(); // resolves though the database is away
    const status = ledger.outbox();
    expect(midway).toBeGreaterThan(0);
    expect(status.unshipped).toBe(during);
    expect(status.unshipped).toBeGreaterThan(midway);
    expect(status.oldestUnshippedAt).toBeLessThan(Date.now() - OUTAGE_MS / 2);
    expect(status.lastError).toBeTruthy();
    // Recording never waited for the database (a loose bound: a call that waited would take seconds).
    expect(Math.max(slowHalf, slowRest)).toBeLessThan(250);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(TeamLedgerUnavailableError);

    await lab.cluster().resume();
    const total = RATE_PER_S + during;
    await waitUntil(() => ledger!.outbox().unshipped === 0, ARRIVE_MS, 100);
    const { rows } = await db.query('SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS ids, MIN(id) AS first, MAX(id) AS last FROM requests');
    expect(rows[0]).toEqual({ n: total, ids: total, first: 'o0001', last: `o${String(total).padStart(4, '0')}` });
    expect(ledger.outbox()).toMatchObject({ unshipped: 0, oldestUnshippedAt: null, lastError: null });
    // The trigger counted each row once.
    const totals = await db.query("SELECT SUM(tokens) AS tokens FROM spend_totals WHERE scope = '*' AND length(period) = 7");
    expect(totals.rows[0]).toEqual({ tokens: total * 15 });
    expect((await ledger.spend({})).requests).toBe(total);

    for (const e of [...errors, ...poolErrors, read as Error]) expect(e.message).not.toContain(PASSWORD);
    expect(JSON.stringify(ledger.outbox())).not.toContain(PASSWORD);
  }, 90_000);
});
