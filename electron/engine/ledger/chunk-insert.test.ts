// The writer's chunk INSERT on real SQLite: whatever its rows share or not (generated chunks), it stores
// each row exactly as the one-row INSERT stores it, value and type; shapes past its cache still go in;
// and it counts rows whose id was already stored as not inserted.
import Database from 'libsql';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { requestRow } from '../../../test/support/request-rows';
import { chunkInserter, ROWS_PER_STATEMENT, sharedColumns } from './chunk-insert';
import { COLUMNS, INSERT_SQL, rowValues, toRow } from './rows';
import { migrate } from './schema';

const dbs: Database.Database[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

function database(): Database.Database {
  const db = new Database(':memory:');
  migrate(db, ':memory:');
  dbs.push(db);
  return db;
}

/** Every stored value with its type, as SQLite's quote() writes it (1 and 1.0 differ, as do '' and NULL). */
const stored = (db: Database.Database) =>
  db
    .prepare(`SELECT ${COLUMNS.map((c) => `quote(${c})`).join(', ')} FROM requests ORDER BY id`)
    .raw(true)
    .all();

const col = (name: (typeof COLUMNS)[number]) => COLUMNS.indexOf(name);

/** Values a column may hold, as the port writes them and then some: any text, nulls, doubles with -0 and infinities. */
const anyText = fc.string({ unit: 'binary', maxLength: 12 });
const columnValues: Partial<Record<(typeof COLUMNS)[number], fc.Arbitrary<unknown>>> = {
  started_at: fc.integer({ min: 0, max: 2 ** 46 }),
  source: fc.constantFrom('port', 'chat', 'compare'),
  client: fc.option(anyText),
  route: fc.option(anyText),
  provider: fc.option(anyText),
  model: fc.option(anyText),
  status: fc.constantFrom('ok', 'error', 'interrupted'),
  http_status: fc.constantFrom(200, 429, 500, 0),
  error_message: fc.option(anyText),
  attempts: fc.json(),
  input_tokens: fc.nat(),
  output_tokens: fc.nat(),
  cost_usd: fc.option(fc.double({ noNaN: true })),
  ttft_ms: fc.option(fc.double({ noNaN: true })),
  duration_ms: fc.double({ noNaN: true }),
  cache_read_tokens: fc.nat(),
  requested_model: fc.option(anyText),
  usage_estimated: fc.constantFrom(0, 1),
};

/** A full chunk: each column either shared by all rows or drawn per row (ids are always the row's own). */
const chunks = fc
  .record({
    varies: fc.array(fc.boolean(), { minLength: COLUMNS.length, maxLength: COLUMNS.length }),
    values: fc.array(fc.record(Object.fromEntries(Object.entries(columnValues)) as Record<string, fc.Arbitrary<unknown>>), {
      minLength: ROWS_PER_STATEMENT,
      maxLength: ROWS_PER_STATEMENT,
    }),
  })
  .map(({ varies, values }) => {
    const base = rowValues(toRow(requestRow()));
    return values.map((own, r) =>
      COLUMNS.map((c, i) => {
        if (c === 'id') return `${base[0]}-${r}`;
        if (!(c in own)) return base[i];
        return varies[i] ? own[c] : values[0]![c];
      }),
    );
  });

describe('the chunk insert', () => {
  it('stores each row as the one-row INSERT does, value for value and type for type, whatever its rows share', () => {
    fc.assert(
      fc.property(chunks, (chunk) => {
        const chunked = database();
        const oneByOne = database();
        expect(chunkInserter(chunked).run(chunk)).toBe(chunk.length);
        const insert = oneByOne.prepare(INSERT_SQL);
        for (const row of chunk) insert.run(row);
        expect(stored(chunked)).toEqual(stored(oneByOne));
        for (const db of dbs.splice(0)) db.close();
      }),
      { numRuns: 60 },
    );
  });

  it('finds what a chunk from one tool and model shares: all but its ids, start times, tokens and timings', () => {
    const chunk = Array.from({ length: ROWS_PER_STATEMENT }, (_, i) =>
      rowValues(toRow(requestRow({ startedAt: 1_764_550_000_000 + i, inputTokens: 100 + i, durationMs: 10 + i / 3 }))),
    );
    const mask = sharedColumns(chunk);
    expect(COLUMNS.filter((_, c) => !(mask & (1 << c)))).toEqual(['id', 'started_at', 'input_tokens', 'duration_ms']);
  });

  it('tells 0 from -0 (they are different doubles), and shares a null', () => {
    const chunk = Array.from({ length: 3 }, (_, i) => rowValues(toRow(requestRow({ costUsd: i === 1 ? -0 : 0, ttftMs: null }))));
    const mask = sharedColumns(chunk);
    expect(mask & (1 << col('cost_usd'))).toBe(0);
    expect(mask & (1 << col('ttft_ms'))).not.toBe(0);
  });

  it('inserts every chunk when more shapes come than it keeps, and again when an evicted shape comes back', () => {
    const db = database();
    const insert = chunkInserter(db);
    const models = Array.from({ length: 40 }, (_, i) => `model-${i}`);
    let rows = 0;
    // Each chunk varies a different set of columns: 20 shapes, then the first ones again.
    for (const round of [0, 1])
      for (let s = 0; s < 20; s++) {
        const chunk = Array.from({ length: ROWS_PER_STATEMENT }, (_, i) =>
          rowValues(
            toRow(
              requestRow({
                model: models[(s + i * (s % 3)) % models.length]!,
                client: s % 2 === 0 ? 'cline' : `tool-${i}`,
                route: s % 5 === 0 ? null : `route-${s % 4 === 0 ? i : 0}`,
                errorMessage: `round ${round}`,
              }),
            ),
          ),
        );
        expect(insert.run(chunk)).toBe(ROWS_PER_STATEMENT);
        rows += chunk.length;
      }
    expect((db.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n).toBe(rows);
  });

  it('counts rows whose id is already stored as not inserted, and leaves them as they were', () => {
    const db = database();
    const insert = chunkInserter(db);
    const chunk = Array.from({ length: ROWS_PER_STATEMENT }, () => rowValues(toRow(requestRow())));
    expect(insert.run(chunk.slice(0, 3))).toBe(3);
    const again = chunk.map((r, i) => (i < 3 ? r.map((v, c) => (c === col('model') ? 'changed' : v)) : r));
    expect(insert.run(again)).toBe(ROWS_PER_STATEMENT - 3);
    const models = db.prepare('SELECT DISTINCT model FROM requests').raw(true).all();
    expect(models).toEqual([['gpt-4o-mini']]);
  });
});
