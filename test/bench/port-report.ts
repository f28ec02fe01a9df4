// The port bench's report: the tables of a run's cells and the issue's goal lines, each with its
// measured value, the floor's and MET / NOT MET (port.bench.ts measures; this only reads the results).
import { percentile } from './load';
import { openLoopReport, type OpenCell } from './open-loop-cells';
import { f, ratio, signed, verdict } from './report-format';
import type { ClientKind, SequentialResult } from './sequential';
import { SWITCHBOARD_MODEL, type BudgetSeen } from './switchboard-serve';
import { writerGoalLine, type WriterCpuRuns } from './writer-cpu';

export type TargetName = 'direct' | 'floor' | 'switchboard' | 'reference';

/**
 * `large`: JSON with a ~190 KB prompt, the size IDE agents send (no goal). At c=1 only: at higher
 * concurrency the fake upstream parsing 190 KB bodies is the bottleneck.
 */
export type Mode = 'json' | 'stream' | 'held' | 'large';

export interface Row {
  target: TargetName;
  mode: Mode;
  c: number;
  p50: number;
  p99: number;
  ttft50: number;
  rps: number;
  rss: number;
  /** Of `rss`, the file pages (MB): the node binary's and native libraries' code and data. */
  rssFile: number;
  cpuUsPerReq: number;
  errors: number;
  count: number;
}

export interface SequentialCell {
  client: ClientKind;
  mode: 'json' | 'stream';
  results: Map<string, SequentialResult>;
}

/** One round of CPU per request at c=32: Switchboard's and the floor's, measured back to back. */
export interface CpuRound {
  mode: 'json' | 'stream';
  switchboard: number;
  floor: number;
}

const median = (xs: number[]) => percentile(Float64Array.from(xs), 50);

export interface Report {
  rows: Row[];
  sequential: SequentialCell[];
  open: OpenCell[];
  cpuRounds: CpuRound[];
  floorPeakRps: number;
  cold: number[];
  writer: WriterCpuRuns;
  budgetsBefore: BudgetSeen[];
  budgetsAfter: BudgetSeen[];
  elapsed: number;
}

/** The constants the run used, as the report states them. */
export interface ReportSettings {
  durationMs: number;
  concurrency: readonly number[];
  c1Measured: number;
  c1Warmup: number;
  referenceEvery: number;
  openLoop: { shares: readonly number[]; rounds: number; roundMs: number; connections: number; maxInFlight: number };
  coldLedgerRows: number;
}

/** The run's tables, then each goal with its measured value, the floor's and MET / NOT MET. */
export function portReport(r: Report, settings: ReportSettings): string {
  const goals: string[] = [];
  const out: string[] = [];
  const budgetLine = r.budgetsAfter.map((b) => `"${b.name}" ${b.mode} $${b.limitUsd} (spent $${f(b.knownSpentUsd)})`).join(', ');
  out.push(
    `\nport bench (${(r.elapsed / 1000).toFixed(0)} s, node ${process.version}; Switchboard: node dist/cli.cjs serve with node's default flags,`,
    `3 providers × 12 priced models + 1, 5 routes (fallback, weighted, lowest-cost, nested), 4 aliases, model "${SWITCHBOARD_MODEL}" = an alias of a`,
    `fallback route; budgets in force: ${budgetLine}; load generators in-process, each server in its own process)`,
  );

  // Concurrency 1, interleaved.
  out.push(
    `\nconcurrency 1, interleaved (direct, floor, Switchboard, reference in turn; ${settings.c1Measured} measured rounds after ${settings.c1Warmup} of warm-up; the reference takes every ${settings.referenceEvery}th round)\n`,
    '| client | mode | direct p50 / p99 ms | floor added p50 / p99 ms | Switchboard added p50 / p99 ms | reference added p50 / p99 ms | added TTFT p50 ms floor / SB / ref | errors |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const cell of r.sequential) {
    const p = (name: string, q: number) => percentile(cell.results.get(name)!.latencies, q);
    const ttft = (name: string) => percentile(cell.results.get(name)!.ttfts, 50);
    const add = (name: string, q: number) => p(name, q) - p('direct', q);
    const addTtft = (name: string) => ttft(name) - ttft('direct');
    const errors = [...cell.results.values()].reduce((s, x) => s + x.errors, 0);
    out.push(
      `| ${cell.client} | ${cell.mode} | ${f(p('direct', 50), 3)} / ${f(p('direct', 99), 3)} | ${signed(add('floor', 50))} / ${signed(add('floor', 99))} | ${signed(add('switchboard', 50))} / ${signed(add('switchboard', 99))} | ${signed(add('reference', 50))} / ${signed(add('reference', 99))} | ${cell.mode === 'stream' ? `${signed(addTtft('floor'))} / ${signed(addTtft('switchboard'))} / ${signed(addTtft('reference'))}` : '-'} | ${errors} |`,
    );
    const sb50 = add('switchboard', 50);
    const fl50 = add('floor', 50);
    const sb99 = add('switchboard', 99);
    const fl99 = add('floor', 99);
    goals.push(
      `1. c=1 ${cell.client} ${cell.mode}, added p50: Switchboard ${signed(sb50)} ms, floor ${signed(fl50)} ms (goal <= floor + 0.15 = ${f(fl50 + 0.15, 3)}) ${verdict(sb50 <= fl50 + 0.15)}`,
      `1. c=1 ${cell.client} ${cell.mode}, added p99: Switchboard ${signed(sb99)} ms, floor ${signed(fl99)} ms (goal <= 2x floor = ${f(2 * fl99, 3)})${fl99 <= 0 ? " (the floor's added p99 is not above zero: noise swamped this run's p99s)" : ''} ${verdict(sb99 <= 2 * fl99)}`,
    );
  }

  // Open loop.
  const openReport = openLoopReport(r.open, settings.openLoop.shares);
  out.push(
    `\nopen loop, JSON: sent at a fixed rate whatever the answers, latency from each request's scheduled time (${settings.openLoop.rounds} rounds of ${settings.openLoop.roundMs / 1000} s per target and rate, interleaved, the order turning each round, latencies pooled; after 0.5 s of warm-up; floor's peak ${f(r.floorPeakRps, 0)} req/s at c=32; ${settings.openLoop.connections} connections, at most ${settings.openLoop.maxInFlight} in flight)\n`,
    '| load | target | p50 / p99 ms | added p50 / p99 ms | p99 per round ms | answered | errors | dropped |',
    '|---|---|---|---|---|---|---|---|',
    ...openReport.rows,
  );
  goals.push(...openReport.goals);

  // Closed loop, held streams and the large prompt.
  const get = (target: TargetName, mode: Mode, c: number) => r.rows.find((x) => x.target === target && x.mode === mode && x.c === c)!;
  out.push(
    `\nclosed loop (${settings.durationMs} ms per cell after warm-up; CPU is all threads of the server process, from /proc)\n`,
    '| mode | c | direct p50 / p99 ms | direct req/s | added p50 / p99 ms: Switchboard; reference; floor | req/s SB / ref / floor (SB/ref) | CPU µs/req SB / ref / floor (SB/floor, SB/ref) | peak RSS MB SB / ref / floor | added TTFT p50 ms SB / ref / floor |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  const cells: Array<[Mode, number]> = [
    ['held', 256],
    ...(['json', 'stream'] as const).flatMap((m) => settings.concurrency.map((c) => [m, c] as [Mode, number])),
    ['large', 1],
  ];
  for (const [mode, c] of cells) {
    const d = get('direct', mode, c);
    const s = get('switchboard', mode, c);
    const ref = get('reference', mode, c);
    const fl = get('floor', mode, c);
    const add = (x: Row) => `${signed(x.p50 - d.p50, 2)} / ${signed(x.p99 - d.p99, 2)}`;
    const stream = mode === 'stream' || mode === 'held';
    const ttft = (x: Row) => signed(x.ttft50 - d.ttft50);
    const label = mode === 'held' ? 'stream, held open (20 ms/chunk)' : mode === 'large' ? 'json, 190 KB prompt' : mode;
    out.push(
      `| ${label} | ${c} | ${f(d.p50)} / ${f(d.p99)} | ${f(d.rps, 0)} | ${add(s)}; ${add(ref)}; ${add(fl)} | ${f(s.rps, 0)} / ${f(ref.rps, 0)} / ${f(fl.rps, 0)} (${ratio(s.rps, ref.rps)}) | ${f(s.cpuUsPerReq, 0)} / ${f(ref.cpuUsPerReq, 0)} / ${f(fl.cpuUsPerReq, 0)} (${ratio(s.cpuUsPerReq, fl.cpuUsPerReq)}, ${ratio(s.cpuUsPerReq, ref.cpuUsPerReq)}) | ${f(s.rss, 0)} / ${f(ref.rss, 0)} / ${f(fl.rss, 0)} | ${stream ? `${ttft(s)} / ${ttft(ref)} / ${ttft(fl)}` : '-'} |`,
    );
  }
  for (const mode of ['json', 'stream'] as const) {
    const s = get('switchboard', mode, 32);
    const ref = get('reference', mode, 32);
    const rounds = r.cpuRounds.filter((x) => x.mode === mode);
    const ratios = rounds.map((x) => x.switchboard / x.floor);
    const mid = median(ratios);
    goals.push(
      `3. CPU per request c=32 ${mode}: Switchboard / floor per round ${rounds.map((x) => `${f(x.switchboard, 0)}/${f(x.floor, 0)} µs = ${ratio(x.switchboard, x.floor)}`).join(', ')}; median ${f(mid)}x (goal <= 2x) ${verdict(mid <= 2)}`,
      `3. CPU per request c=32 ${mode}: Switchboard ${f(s.cpuUsPerReq, 0)} µs, reference ${f(ref.cpuUsPerReq, 0)} µs (goal <= 0.3x reference = ${f(0.3 * ref.cpuUsPerReq, 0)}) ${verdict(s.cpuUsPerReq <= 0.3 * ref.cpuUsPerReq)}`,
    );
  }
  for (const mode of ['json', 'stream'] as const)
    for (const c of settings.concurrency) {
      const s = get('switchboard', mode, c);
      const ref = get('reference', mode, c);
      const fl = get('floor', mode, c);
      goals.push(
        `4. throughput c=${c} ${mode}: Switchboard ${f(s.rps, 0)} req/s, reference ${f(ref.rps, 0)} (${ratio(s.rps, ref.rps)}), floor ${f(fl.rps, 0)} (goal >= 3x reference) ${verdict(s.rps >= 3 * ref.rps)}`,
      );
    }
  const held = get('switchboard', 'held', 256);
  const resident = (row: Row) => `${f(row.rss, 0)} MB (${f(row.rssFile, 0)} of it file pages)`;
  goals.push(
    `5. peak RSS with 256 open streams, node's default flags: Switchboard ${resident(held)}, reference ${resident(get('reference', 'held', 256))}, floor ${resident(get('floor', 'held', 256))} (goal < 110) ${verdict(held.rss < 110)}`,
  );
  const coldMedian = median(r.cold);
  goals.push(
    `6. cold start to the first answer of the port, ${settings.coldLedgerRows.toLocaleString('en-US')}-row ledger: median ${f(coldMedian, 1)} ms, max ${f(Math.max(...r.cold), 1)} ms over ${r.cold.length} starts (goal median <= 300) ${verdict(coldMedian <= 300)}`,
  );
  goals.push(`7. ${writerGoalLine(r.writer)}`);

  out.push(
    `\ncold start (spawn of node dist/cli.cjs serve to the first 200 from GET /v1/models; ${settings.coldLedgerRows.toLocaleString('en-US')}-row ledger, the same config and budgets): ${r.cold.map((ms) => f(ms, 0)).join(', ')} ms`,
  );
  out.push(`${writerGoalLine(r.writer)}`);
  const errors = [
    ...r.rows.filter((x) => x.errors > 0).map((x) => `${x.target} ${x.mode} c=${x.c}: ${x.errors}`),
    ...r.sequential.flatMap((cell) =>
      [...cell.results].filter(([, x]) => x.errors > 0).map(([name, x]) => `${name} c=1 ${cell.client} ${cell.mode}: ${x.errors}`),
    ),
    ...r.open.filter((o) => o.errors > 0).map((o) => `${o.target} open ${o.share * 100}%: ${o.errors}`),
  ];
  out.push(errors.length ? `errors: ${errors.join('; ')}` : 'errors: none');
  const spent = r.budgetsAfter.every((b, i) => b.knownSpentUsd > r.budgetsBefore[i]!.knownSpentUsd);
  if (!spent) out.push('warning: the budgets did not count the bench requests (spent did not grow)');
  out.push(`\nissue 16 goals (this run, this machine)`, ...goals.map((g) => `  ${g}`));
  return out.join('\n');
}
