// The team ledger's shipping against a real PostgreSQL: rows arrive unasked, in bounded batches, a row the
// database refuses is left out (and said) without holding back the others, close ships the last rows,
// and a bad query fails at once.
import { describe, expect, it } from 'vitest';
import { requestRow as row } from '../../../../test/support/request-rows';
import { teamLab } from '../../../../test/support/team-lab';
import { waitUntil } from '../../../../test/support/wait';
import type { Database } from '../database';
import { openTeamLedger } from './team-ledger';

const lab = teamLab();
const setup = async (): Promise<{ dataDir: string; db: Database }> => ({ dataDir: lab.tempDir('sb-team-'), db: await lab.freshPool() });

const count = async (db: Database) => Number((await db.query('SELECT COUNT(*) AS n FROM requests')).rows[0].n);

describe('the team ledger', () => {
  it('ships recorded rows on its own, a bounded batch at a time', async () => {
    const { dataDir, db } = await setup();
    const ledger = await openTeamLedger({ dataDir, db, instance: 'a', batchSize: 4, onError: (e) => expect.fail(e.message) });
    try {
      for (let i = 0; i < 10; i++) ledger.record(row());
      // Nobody asks: the shipper's timer sends them (three batches of at most four).
      await waitUntil(async () => (await count(db)) === 10, 5_000);
      await waitUntil(async () => ledger.outbox().unshipped === 0, 1_000);
      expect(ledger.outbox().lastShippedAt).toBeGreaterThan(0);
      // Rows a transaction inserted share its xmin: no transaction carried more than a batch.
      const { rows } = await db.query('SELECT COUNT(*) AS n FROM requests GROUP BY xmin::text');
      expect(Math.max(...rows.map((r) => Number(r.n)))).toBeLessThanOrEqual(4);
    } finally {
      await ledger.close();
    }
  });

  it('leaves out a row the database refuses, says so, and ships the rest of its batch', async () => {
    const { dataDir, db } = await setup();
    const errors: Error[] = [];
    const ledger = await openTeamLedger({ dataDir, db, instance: 'a', onError: (e) => errors.push(e) });
    try {
      ledger.record(row({ id: 'fine-1' }));
      // SQLite keeps any integer; PostgreSQL's http_status column is 32-bit.
      ledger.record(row({ id: 'poison', httpStatus: 10_000_000_000 }));
      ledger.record(row({ id: 'fine-2' }));
      await ledger.shipped();
      const ids = (await db.query('SELECT id FROM requests ORDER BY id')).rows.map((r) => r.id);
      expect(ids).toEqual(['fine-1', 'fine-2']);
      expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/refused request row poison, left out: .*out of range/)]);
      expect(ledger.outbox()).toMatchObject({ unshipped: 0, lastError: null });
      // Later rows are not held back by it.
      ledger.record(row({ id: 'fine-3' }));
      await ledger.shipped();
      expect(await count(db)).toBe(3);
    } finally {
      await ledger.close();
    }
  });

  it('ships every value as recorded: awkward doubles, nulls, quotes and non-ASCII text, fractional milliseconds rounded', async () => {
    const { dataDir, db } = await setup();
    const ledger = await openTeamLedger({ dataDir, db, instance: 'a', onError: (e) => expect.fail(e.message) });
    const costs = [0.1 + 0.2, 1e-7, 5e-324, 123456.789, 2 ** 53 + 2, null];
    try {
      costs.forEach((costUsd, i) =>
        ledger.record(
          row({
            id: `v${i}`,
            costUsd,
            ttftMs: i === 5 ? null : 12.5 + i,
            durationMs: 1234.4999,
            errorMessage: i === 5 ? 'a "quoted" message, \\ and 💸 — ünïcödé\n' : undefined,
            inputTokens: 2 ** 40,
          }),
        ),
      );
      await ledger.shipped();
      const { rows } = await db.query('SELECT id, cost_usd, ttft_ms, duration_ms, error_message, input_tokens FROM requests ORDER BY id');
      expect(rows.map((r) => r.cost_usd)).toEqual(costs);
      expect(rows.map((r) => r.ttft_ms)).toEqual([13, 14, 15, 16, 17, null]);
      expect(rows.map((r) => r.duration_ms)).toEqual(costs.map(() => 1234));
      expect(rows[5].error_message).toBe('a "quoted" message, \\ and 💸 — ünïcödé\n');
      expect(rows.map((r) => Number(r.input_tokens))).toEqual(costs.map(() => 2 ** 40));
    } finally {
      await ledger.close();
    }
  });

  it('ships the last rows at close, and leaves the pool open for its owner', async () => {
    const { dataDir, db } = await setup();
    const ledger = await openTeamLedger({ dataDir, db, instance: 'a', shipDelayMs: 60_000 });
    ledger.record(row({ id: 'last' }));
    await ledger.close();
    expect((await db.query('SELECT id, instance FROM requests')).rows).toEqual([{ id: 'last', instance: 'a' }]);
  });

  it('rejects a bad query at once, before waiting on anything', async () => {
    const { dataDir, db } = await setup();
    const ledger = await openTeamLedger({ dataDir, db, instance: 'a' });
    try {
      await expect(ledger.spend({ since: 'last week' })).rejects.toThrow(/invalid since "last week"/);
      await expect(ledger.series({ by: 'week' as never })).rejects.toThrow(/invalid spend grouping "week"/);
      await expect(ledger.series({ since: '90d', bucket: 'hour' })).rejects.toThrow(/at most 31 days/);
    } finally {
      await ledger.close();
    }
  });
});
