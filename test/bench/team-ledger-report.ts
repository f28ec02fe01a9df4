// The team ledger bench's tables and goal line: serve's CPU per request on each ledger, per round and over
// all rounds, the PostgreSQL server's own CPU (shown, not in the goal), and the check that no row was lost.
import type { TeamRows } from './team-ledger-setup';

export type Kind = 'sqlite' | 'postgres';
export type Mode = 'json' | 'stream';

export interface Cell {
  kind: Kind;
  mode: Mode;
  /** Requests answered 200, and those that failed. */
  requests: number;
  errors: number;
  rps: number;
  /** Per request served: serve's CPU (all threads), its main thread's, the PostgreSQL server's (all its processes). */
  cpuUs: number;
  mainUs: number;
  pgUs: number;
  /** From the end of the load to every row landed in its store. */
  settleMs: number;
  wallMs: number;
}

interface Totals {
  requests: number;
  errors: number;
  cpuUs: number;
  mainUs: number;
  pgUs: number;
}

export interface ModeSummary {
  mode: Mode;
  sqlite: Totals;
  postgres: Totals;
  /** PostgreSQL ledger's CPU per request over SQLite's, over all rounds. */
  ratio: number;
  roundRatios: number[];
}

export const GOAL_RATIO = 1.3;

/** Sums each ledger's cells of a mode: CPU over all requests served, so a short or noisy cell weighs what it served. */
function totals(cells: Cell[]): Totals {
  const served = (c: Cell) => c.requests + c.errors;
  const n = cells.reduce((s, c) => s + served(c), 0);
  const mean = (f: (c: Cell) => number) => cells.reduce((s, c) => s + f(c) * served(c), 0) / n;
  return {
    requests: cells.reduce((s, c) => s + c.requests, 0),
    errors: cells.reduce((s, c) => s + c.errors, 0),
    cpuUs: mean((c) => c.cpuUs),
    mainUs: mean((c) => c.mainUs),
    pgUs: mean((c) => c.pgUs),
  };
}

export function aggregate(cells: Array<Cell & { round: number }>): ModeSummary[] {
  return (['json', 'stream'] as const).map((mode) => {
    const of = (kind: Kind) => cells.filter((c) => c.mode === mode && c.kind === kind);
    const sqlite = totals(of('sqlite'));
    const postgres = totals(of('postgres'));
    const rounds = [...new Set(cells.map((c) => c.round))].sort((a, b) => a - b);
    const roundRatios = rounds.map((r) => {
      const one = (kind: Kind) => of(kind).find((c) => c.round === r)!.cpuUs;
      return one('postgres') / one('sqlite');
    });
    return { mode, sqlite, postgres, ratio: postgres.cpuUs / sqlite.cpuUs, roundRatios };
  });
}

export interface ReportInput {
  requests: number;
  rounds: number;
  concurrency: number;
  warmup: number;
  cells: Array<Cell & { round: number }>;
  summary: ModeSummary[];
  team: TeamRows;
  local: Array<{ kind: Kind; rows: number; sent: number; ok: number }>;
}

const f = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const name = (k: Kind) => (k === 'sqlite' ? 'SQLite' : 'PostgreSQL');

export function report(r: ReportInput): { text: string; rowsOk: boolean } {
  const out = [
    `team ledger: \`switchboard serve\` on its SQLite ledger and with \`--ledger postgres://…\` (a private cluster: fsync and synchronous_commit off), the same config and flags, a client token without a budget and no budgets; closed loop c=${r.concurrency}, ${r.requests} requests per cell after ${r.warmup} warm-up requests per ledger and mode, ${r.rounds} rounds, which ledger goes first alternating per round. CPU is all threads of the serve process (/proc), read once the cell's rows have landed (in the SQLite file; in PostgreSQL, past the outbox).\n`,
    '| mode | round | ledger | req/s | serve CPU µs/req (main thread) | PostgreSQL server µs/req | rows landed after the load (ms) | errors |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const c of r.cells)
    out.push(
      `| ${c.mode} | ${c.round + 1} | ${name(c.kind)} | ${f(c.rps)} | ${f(c.cpuUs)} (${f(c.mainUs)}) | ${f(c.pgUs)} | ${f(c.settleMs)} | ${c.errors} |`,
    );
  out.push(
    '\nover all rounds\n',
    '| mode | SQLite ledger µs/req (main thread) | PostgreSQL ledger µs/req (main thread) | PostgreSQL/SQLite (per round) | PostgreSQL server µs/req (not in the goal) |',
    '|---|---|---|---|---|',
  );
  for (const s of r.summary)
    out.push(
      `| ${s.mode} | ${f(s.sqlite.cpuUs)} (${f(s.sqlite.mainUs)}) | ${f(s.postgres.cpuUs)} (${f(s.postgres.mainUs)}) | ${f(s.ratio, 2)}x (${s.roundRatios.map((x) => f(x, 2)).join(', ')}) | ${f(s.postgres.pgUs)} |`,
    );

  const pg = r.local.find((l) => l.kind === 'postgres')!;
  const lite = r.local.find((l) => l.kind === 'sqlite')!;
  const problems: string[] = [];
  if (r.team.rows !== r.team.distinctIds) problems.push(`${r.team.rows - r.team.distinctIds} duplicated rows in PostgreSQL`);
  if (r.team.rows !== pg.rows) problems.push(`PostgreSQL holds ${r.team.rows} rows, the instance's local ledger ${pg.rows}`);
  for (const l of r.local) {
    if (l.rows < l.ok) problems.push(`the ${name(l.kind)} run answered ${l.ok} requests and recorded ${l.rows} rows`);
    // Every request sent ends as a row, failed ones too; with failures the count is only bounded.
    if (l.sent === l.ok && l.rows !== l.sent)
      problems.push(`the ${name(l.kind)} run was sent ${l.sent} requests and recorded ${l.rows} rows`);
  }
  out.push(
    `\nrows: PostgreSQL \`requests\` holds ${r.team.rows} (${r.team.distinctIds} distinct ids; instance ${r.team.instances.join(', ')}); ` +
      `the PostgreSQL run's local ledger ${pg.rows}, for ${pg.sent} requests sent (${pg.ok} answered 200); ` +
      `the SQLite run's ledger ${lite.rows}, for ${lite.sent} sent (${lite.ok} answered 200). ` +
      (problems.length ? `PROBLEM: ${problems.join('; ')}` : 'none lost, none duplicated'),
  );
  const errors = r.cells.filter((c) => c.errors > 0).map((c) => `${c.mode} round ${c.round + 1} ${name(c.kind)}: ${c.errors}`);
  out.push(errors.length ? `errors: ${errors.join('; ')}` : 'errors: none');

  out.push('\nissue 17 goal (this run, this machine)');
  for (const s of r.summary) {
    const met = s.ratio <= GOAL_RATIO && s.postgres.errors === 0 && s.sqlite.errors === 0;
    out.push(
      `  CPU per request with the PostgreSQL ledger within 1.3x of the SQLite ledger's: c=${r.concurrency} ${s.mode}: PostgreSQL ledger ${f(s.postgres.cpuUs)} µs, SQLite ledger ${f(s.sqlite.cpuUs)} µs (${f(s.ratio, 2)}x; goal <= ${GOAL_RATIO}x = ${f(GOAL_RATIO * s.sqlite.cpuUs)} µs) ${met ? 'MET' : 'NOT MET'}`,
    );
  }
  out.push(
    `  (not in the goal) the PostgreSQL server's own CPU per request: ${r.summary.map((s) => `${s.mode} ${f(s.postgres.pgUs)} µs`).join(', ')}`,
  );
  return { text: out.join('\n'), rowsOk: problems.length === 0 };
}
