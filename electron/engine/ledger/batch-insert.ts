// How the writer thread stores a batch of finished requests cheaply: rows go in by multi-row INSERTs,
// and the daily and monthly rollups are added once per (period, source, client, route, provider, model)
// group instead of by the per-row trigger. Rows it inserts carry `batched = 1`, which the triggers skip
// (schema.ts v6); a row inserted any other way (crash recovery, a migration) is still rolled up by them.
import type Database from 'libsql';
import { ROLLUP_KEY, ROLLUP_SUMS } from './rollup-columns';
import { chunkInserter, ROWS_PER_STATEMENT } from './chunk-insert';
import { COLUMNS } from './rows';

const col = (name: (typeof COLUMNS)[number]) => COLUMNS.indexOf(name);
const I = {
  id: col('id'),
  startedAt: col('started_at'),
  source: col('source'),
  client: col('client'),
  route: col('route'),
  provider: col('provider'),
  model: col('model'),
  input: col('input_tokens'),
  output: col('output_tokens'),
  cacheRead: col('cache_read_tokens'),
  cacheWrite: col('cache_write_tokens'),
  reasoning: col('reasoning_tokens'),
  cost: col('cost_usd'),
  estimated: col('usage_estimated'),
};

type Sums = number[];

interface Group {
  period: string;
  key: Array<string>;
  sums: Sums;
}

/** A table's rollup statements: read a group's totals, and write them back. */
function rollupStatements(db: Database.Database, table: 'spend_daily' | 'spend_monthly', first: 'day' | 'month') {
  const where = [first, ...ROLLUP_KEY].map((c) => `${c} = ?`).join(' AND ');
  const columns = [first, ...ROLLUP_KEY, ...ROLLUP_SUMS];
  return {
    read: db.prepare(`SELECT ${ROLLUP_SUMS.join(', ')} FROM ${table} WHERE ${where}`).raw(true),
    write: db.prepare(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
       ON CONFLICT DO UPDATE SET ${ROLLUP_SUMS.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    ),
  };
}

export function batchInserter(db: Database.Database) {
  const insert = chunkInserter(db);
  const daily = rollupStatements(db, 'spend_daily', 'day');
  const monthly = rollupStatements(db, 'spend_monthly', 'month');
  const closeOpens = db.prepare('DELETE FROM requests_open WHERE id IN (SELECT value FROM json_each(?))');

  /** UTC day and month names by day number: a batch's rows share one or two days, and formatting a Date per row costs more than the rest of the rollup. */
  const periods = new Map<number, { day: string; month: string }>();
  const periodsOf = (startedAt: number): { day: string; month: string } => {
    const n = Math.floor(Math.trunc(startedAt / 1000) / 86_400);
    let p = periods.get(n);
    if (p === undefined) {
      if (periods.size > 64) periods.clear();
      const day = new Date(n * 86_400_000).toISOString().slice(0, 10);
      p = { day, month: day.slice(0, 7) };
      periods.set(n, p);
    }
    return p;
  };
  const text = (v: unknown): string => (v === null ? '' : String(v));
  /** One row's addends, in ROLLUP_SUMS order (reused from row to row: the groups keep their own sums). */
  const addends: Sums = ROLLUP_SUMS.map(() => 0);

  /** Whether two rows fall in the same rollup groups: the same day and the same key columns. */
  const sameGroups = (a: unknown[], b: unknown[], day: string, previousDay: string): boolean =>
    day === previousDay &&
    a[I.source] === b[I.source] &&
    a[I.client] === b[I.client] &&
    a[I.route] === b[I.route] &&
    a[I.provider] === b[I.provider] &&
    a[I.model] === b[I.model];

  /**
   * The batch's rollup: rows are added to their groups in order, from each group's stored totals, so the
   * sums come out as the trigger's would, bit for bit; the groups are written once, at the batch's end.
   * A row in the previous row's groups (the usual case: one tool, one model) adds to them directly,
   * without building its key or looking it up. Kept from batch to batch and cleared (per-batch closures
   * would make V8 drop and redo the optimized code that embeds them).
   */
  const days = new Map<string, Group>();
  const months = new Map<string, Group>();
  let previous: unknown[] | undefined;
  let previousDay = '';
  let dayGroup: Group | undefined;
  let monthGroup: Group | undefined;

  function rollUp(rows: readonly unknown[][]): void {
    for (const r of rows) {
      const { day, month } = periodsOf(Number(r[I.startedAt]));
      const cost = r[I.cost] as number | null;
      addends[0] = 1;
      addends[1] = Number(r[I.input]);
      addends[2] = Number(r[I.output]);
      addends[3] = Number(r[I.cacheRead]);
      addends[4] = Number(r[I.cacheWrite]);
      addends[5] = Number(r[I.reasoning]);
      addends[6] = cost ?? 0;
      addends[7] = cost === null ? 1 : 0;
      addends[8] = Number(r[I.estimated]) !== 0 ? 1 : 0;
      if (!previous || !sameGroups(r, previous, day, previousDay)) {
        const keyId = `${text(r[I.source])}\0${text(r[I.client])}\0${text(r[I.route])}\0${text(r[I.provider])}\0${text(r[I.model])}`;
        dayGroup = groupOf(days, daily.read, day, keyId, r);
        monthGroup = groupOf(months, monthly.read, month, keyId, r);
        previous = r;
        previousDay = day;
      }
      addTo(dayGroup!);
      addTo(monthGroup!);
    }
  }

  /** Stores the batch's groups (none when no row went in) and starts the next batch's rollup afresh. */
  function writeRollup(): void {
    for (const g of days.values()) daily.write.run([g.period, ...g.key, ...g.sums]);
    for (const g of months.values()) monthly.write.run([g.period, ...g.key, ...g.sums]);
    clearRollup();
  }

  function clearRollup(): void {
    days.clear();
    months.clear();
    previous = dayGroup = monthGroup = undefined;
    previousDay = '';
  }

  /** The row's group in `groups`, started from its stored totals when the batch first meets it. */
  function groupOf(groups: Map<string, Group>, read: Database.Statement, period: string, keyId: string, r: unknown[]): Group {
    const id = `${period}\0${keyId}`;
    let g = groups.get(id);
    if (!g) {
      const key = [r[I.source], r[I.client], r[I.route], r[I.provider], r[I.model]].map(text);
      const stored = read.get([period, ...key]) as number[] | undefined;
      g = { period, key, sums: stored ? stored.map(Number) : ROLLUP_SUMS.map(() => 0) };
      groups.set(id, g);
    }
    return g;
  }

  const addTo = (g: Group): void => {
    for (let i = 0; i < addends.length; i++) g.sums[i]! += addends[i]!;
  };

  const mark = db.prepare('SAVEPOINT chunk');
  const undo = db.prepare('ROLLBACK TO chunk');
  const keep = db.prepare('RELEASE chunk');

  /**
   * Inserts a chunk; returns the rows that went in. A row whose id is already stored does nothing and
   * must not be rolled up: when the count says some did nothing (a retried batch, never in normal
   * running), the chunk is undone and inserted row by row to learn which.
   */
  function insertChunk(chunk: unknown[][]): unknown[][] {
    mark.run();
    if (insert.run(chunk) === chunk.length) {
      keep.run();
      return chunk;
    }
    undo.run();
    keep.run();
    return chunk.filter((r) => insert.run([r]) === 1);
  }

  /**
   * Inserts the rows, given as their row-log lines (row-log.ts rowLine), in the caller's transaction; rolls
   * up those that went in and closes the journal entries of those `journaled` says have one (most requests
   * end before a flush and never write one). Returns the ids of the entries closed. Lines are parsed a
   * chunk at a time: a whole batch parsed at once outgrows the thread's young generation, and every row
   * would be copied to its old one and collected there.
   */
  return function insertRows(lines: readonly string[], journaled: (id: string) => boolean): string[] {
    // A batch that failed part-way (its transaction rolled back) left its groups behind.
    clearRollup();
    const closing: string[] = [];
    for (let i = 0; i < lines.length; i += ROWS_PER_STATEMENT) {
      const chunk: unknown[][] = [];
      for (let j = i; j < lines.length && j < i + ROWS_PER_STATEMENT; j++) chunk.push(JSON.parse(lines[j]!) as unknown[]);
      const went = insertChunk(chunk);
      rollUp(went);
      for (const r of went) {
        const id = r[I.id] as string;
        if (journaled(id)) closing.push(id);
      }
    }
    writeRollup();
    if (closing.length > 0) closeOpens.run(JSON.stringify(closing));
    return closing;
  };
}
