// The team schema against a real PostgreSQL: migrations run once however many instances start together,
// a newer schema is refused untouched, and the spend totals trigger counts each row once.
import { describe, expect, it } from 'vitest';
import { teamLab } from '../../../test/support/team-lab';
import { migrateTeamSchema, SchemaTooNewError, TEAM_MIGRATIONS } from './schema';

const lab = teamLab();

describe('team schema migrations', () => {
  it('instances starting together migrate once, under the lock', async () => {
    const url = await lab.freshUrl();
    const pools = [lab.pool(url), lab.pool(url), lab.pool(url)];
    const versions = await Promise.all(pools.map((p) => migrateTeamSchema(p)));
    expect(versions).toEqual([TEAM_MIGRATIONS.length, TEAM_MIGRATIONS.length, TEAM_MIGRATIONS.length]);
    const { rows } = await pools[0]!.query('SELECT version FROM switchboard_schema');
    expect(rows).toEqual([{ version: TEAM_MIGRATIONS.length }]);
    // Again: nothing to do, nothing fails.
    expect(await migrateTeamSchema(pools[1]!)).toBe(TEAM_MIGRATIONS.length);
  });

  it('refuses a database a newer Switchboard migrated, and leaves it as it was', async () => {
    const db = await lab.freshPool();
    await migrateTeamSchema(db, [...TEAM_MIGRATIONS, 'CREATE TABLE from_the_future (x INTEGER)']);
    const error = await migrateTeamSchema(db).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaTooNewError);
    expect((error as Error).message).toMatch(/schema version 2, newer than this Switchboard knows \(1\)/);
    const { rows } = await db.query('SELECT version FROM switchboard_schema');
    expect(rows).toEqual([{ version: TEAM_MIGRATIONS.length + 1 }]);
  });
});

describe('spend totals', () => {
  it('counts each new row once per scope and UTC period, with the member its token had', async () => {
    const db = await lab.freshPool();
    await migrateTeamSchema(db);
    await db.query("INSERT INTO members (name) VALUES ('alice')");
    await db.query("INSERT INTO client_tokens (name, hash, prefix, member) VALUES ('alice-laptop', 'h1', 'sbt_abcd', 'alice')");
    const insert = (id: string, cost: number | null) =>
      db.query(
        `INSERT INTO requests (id, started_at, source, client, status, http_status, attempts, input_tokens, output_tokens, cost_usd, duration_ms)
         VALUES ($1, $2, 'port', 'alice-laptop', 'ok', 200, '[]', 10, 5, $3, 1) ON CONFLICT (id) DO NOTHING`,
        [id, Date.parse('2026-11-30T23:59:00Z'), cost],
      );
    await insert('r1', 0.25);
    await insert('r2', null);
    await insert('r1', 0.25); // a retried batch: not counted again
    const { rows } = await db.query('SELECT scope, period, usd, unknown_cost, tokens FROM spend_totals ORDER BY scope, period');
    const expected = (scope: string) => [
      { scope, period: '2026-11', usd: 0.25, unknown_cost: 1, tokens: 30 },
      { scope, period: '2026-11-30', usd: 0.25, unknown_cost: 1, tokens: 30 },
    ];
    expect(rows).toEqual([...expected('*'), ...expected('client:alice-laptop'), ...expected('member:alice')]);
  });
});
