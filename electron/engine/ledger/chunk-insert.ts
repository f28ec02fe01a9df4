// The writer thread's multi-row INSERT of `requests` rows. A full chunk binds once each value all its rows
// share: binding is most of the writer's cost (libsql converts each bound value on its own, ~0.1 µs for a
// number or a null and ~0.3 µs for a string), and rows from one tool and model repeat most of their 22.
import type Database from 'libsql';
import { COLUMNS } from './rows';

/** Rows per INSERT statement: far under SQLite's 32,766 bound variables, and enough to amortise each call. */
export const ROWS_PER_STATEMENT = 32;

/**
 * Statements kept for full chunks, by which columns their rows share. A traffic mix has a few such
 * shapes; past this many, the least recently used is let go (and prepared again if it comes back).
 */
const MAX_SHAPES = 16;

// A shape is a bit per column in a 32-bit integer.
if (COLUMNS.length > 31) throw new Error('chunk-insert.ts: a requests row has more columns than a shape mask holds');

export interface ChunkInsert {
  /** Inserts the rows (values in COLUMNS order) with `batched = 1`; returns how many went in (a stored id does nothing). */
  run(chunk: readonly unknown[][]): number;
}

/** Which columns hold one value across the chunk, as a bit per column (bit c is COLUMNS[c]). */
export function sharedColumns(chunk: readonly unknown[][]): number {
  let mask = 0;
  const first = chunk[0]!;
  for (let c = 0; c < COLUMNS.length; c++) {
    const v = first[c];
    let same = true;
    // Object.is, not ===: 0 and -0 are different doubles (and a JSON line holds no NaN).
    for (let r = 1; r < chunk.length && same; r++) same = Object.is(chunk[r]![c], v);
    if (same) mask |= 1 << c;
  }
  return mask;
}

/** The INSERT for `rows` rows whose `mask` columns share a value: those are parameters 1..s, then each row's own values in turn. */
function shapeSql(rows: number, mask: number): string {
  const shared = new Map<number, number>();
  for (let c = 0; c < COLUMNS.length; c++) if (mask & (1 << c)) shared.set(c, shared.size + 1);
  const own = COLUMNS.length - shared.size;
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    let next = shared.size + r * own + 1;
    const values = COLUMNS.map((_, c) => `?${shared.get(c) ?? next++}`);
    tuples.push(`(${values.join(', ')}, 1)`);
  }
  return `INSERT INTO requests (${COLUMNS.join(', ')}, batched) VALUES ${tuples.join(', ')} ON CONFLICT (id) DO NOTHING`;
}

export function chunkInserter(db: Database.Database): ChunkInsert {
  /** Full-chunk statements by shared-column mask, least recently used first. */
  const shapes = new Map<number, Database.Statement>();
  /** The shape used last: already at the map's end, so a run of chunks of one shape does not reorder it. */
  let lastMask = -1;
  /** Statements binding every value, by row count (a batch's last chunk may be short). */
  const plain = new Map<number, Database.Statement>();

  const statementFor = (rows: number, mask: number): Database.Statement => {
    if (mask === 0 || rows !== ROWS_PER_STATEMENT) {
      let s = plain.get(rows);
      if (!s) plain.set(rows, (s = db.prepare(shapeSql(rows, 0))));
      return s;
    }
    let s = shapes.get(mask);
    // Moving an entry to the end (delete, then set) rebuilds the map's table; skip it when it is there already.
    if (s && mask === lastMask) return s;
    if (s) shapes.delete(mask);
    else {
      s = db.prepare(shapeSql(rows, mask));
      if (shapes.size >= MAX_SHAPES) shapes.delete(shapes.keys().next().value!);
    }
    shapes.set(mask, s);
    lastMask = mask;
    return s;
  };

  return {
    run(chunk) {
      const mask = chunk.length === ROWS_PER_STATEMENT ? sharedColumns(chunk) : 0;
      const args: unknown[] = [];
      const first = chunk[0]!;
      for (let c = 0; c < COLUMNS.length; c++) if (mask & (1 << c)) args.push(first[c]);
      for (const row of chunk) for (let c = 0; c < COLUMNS.length; c++) if (!(mask & (1 << c))) args.push(row[c]);
      // One array argument: libsql binds it as is (a spread is copied, and flattened, on every call).
      return statementFor(chunk.length, mask).run(args).changes;
    },
  };
}
