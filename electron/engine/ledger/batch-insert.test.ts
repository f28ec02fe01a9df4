// The writer thread's batch insert on real SQLite files: its rollups equal the schema triggers' for the
// same rows (groups interleaved, days and months crossed, null and empty keys), and it closes only the
// journal entries it is told are open.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import { requestRow } from '../../../test/support/request-rows';
import { batchInserter } from './batch-insert';
import { INSERT_OPEN_SQL } from './journal';
import { rowLine } from './row-log';
import { INSERT_SQL, rowValues, toRow } from './rows';
import { migrate } from './schema';
import type { RequestRecord } from './types';

const dbs: Database.Database[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function database(): Database.Database {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-batch-'));
  dirs.push(dir);
  const file = path.join(dir, 'ledger.db');
  const db = new Database(file);
  migrate(db, file);
  dbs.push(db);
  return db;
}

const rollups = (db: Database.Database) => ({
  daily: db.prepare('SELECT * FROM spend_daily ORDER BY day, source, client, route, provider, model').all(),
  monthly: db.prepare('SELECT * FROM spend_monthly ORDER BY month, source, client, route, provider, model').all(),
});

const DAY = 86_400_000;
const lastOfJanuary = Date.UTC(2026, 0, 31, 23, 59, 59);

describe('the batch inserter', () => {
  it('rolls up as the per-row trigger does, bit for bit, with groups interleaved and days crossed', () => {
    // Costs chosen so that the order of additions shows in the last bits of a double.
    const costs = [0.1, 0.2, 0.3, 1e-7, 0.7, 0.03, null, 0.0015, 2.5e-5, 0.1];
    const records: RequestRecord[] = [];
    for (let i = 0; i < 60; i++) {
      records.push(
        requestRow({
          // Runs of the same group, then switches: client, model, a null route against an empty one.
          client: i % 7 < 4 ? 'cursor' : i % 7 < 6 ? 'cline' : null,
          route: i % 11 === 0 ? '' : null,
          model: i % 13 < 9 ? 'gpt-4o-mini' : 'gpt-4o',
          // The last day of January, then the first of February: two days and two months.
          startedAt: lastOfJanuary - 5_000 + i * 200 + (i % 3 === 0 ? DAY : 0),
          costUsd: costs[i % costs.length]!,
          inputTokens: 100 + i,
          outputTokens: 7 * i,
          usageEstimated: i % 5 === 0,
        }),
      );
    }
    const values = records.map((r) => rowValues(toRow(r)));
    const lines = records.map((r) => rowLine(toRow(r)));

    const batched = database();
    const insertRows = batchInserter(batched);
    batched.transaction(() => {
      insertRows(lines.slice(0, 45), () => false);
      insertRows(lines.slice(45), () => false);
    })();

    const byTrigger = database();
    const insert = byTrigger.prepare(INSERT_SQL);
    for (const v of values) insert.run(v);

    const expected = rollups(byTrigger);
    expect(expected.daily.length).toBeGreaterThan(6);
    expect(expected.monthly.length).toBeGreaterThan(4);
    expect(rollups(batched)).toEqual(expected);
  });

  it('closes the journal entries it is told are open, and no others', () => {
    const db = database();
    const insertOpen = db.prepare(INSERT_OPEN_SQL);
    const open = (id: string, owner: string) =>
      insertOpen.run([id, owner, Date.now(), 'port', 'cursor', null, 'gpt-4o-mini', 'openai', 'gpt-4o-mini', '[]', 10, null]);
    const mine = requestRow();
    const stillRunning = requestRow();
    const unjournaled = requestRow();
    open(mine.id, '1:me');
    open(stillRunning.id, '1:me');
    open('other-process-request', '2:them');

    const insertRows = batchInserter(db);
    const closed = db.transaction(() =>
      insertRows(
        [mine, unjournaled].map((r) => rowLine(toRow(r))),
        (id) => id === mine.id || id === stillRunning.id,
      ),
    )();

    expect(closed).toEqual([mine.id]);
    const left = db.prepare('SELECT id FROM requests_open ORDER BY id').all() as Array<{ id: string }>;
    expect(left.map((e) => e.id).sort()).toEqual(['other-process-request', stillRunning.id].sort());
    expect((db.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n).toBe(2);
  });
});
