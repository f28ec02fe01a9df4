// The port bench's open-loop cells: at each rate, the targets (direct, the floor, Switchboard) run in
// interleaved rounds, the order turning each round, and each target's latencies are pooled over its
// rounds; then the table's rows and the goal's lines.
import { Pool } from 'undici';
import { percentile, runOpenLoop, type OpenLoopResult } from './load';
import { f, signed, verdict } from './report-format';

export const OPEN_LOOP_TARGETS = ['direct', 'floor', 'switchboard'] as const;
export type OpenTargetName = (typeof OPEN_LOOP_TARGETS)[number];

export interface OpenTarget {
  name: OpenTargetName;
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface OpenLoopPlan {
  /** Shares of the floor's peak throughput to send at. */
  shares: readonly number[];
  floorPeakRps: number;
  /** Rounds per rate; each target runs once per round. */
  rounds: number;
  roundMs: number;
  connections: number;
  maxInFlight: number;
  progress(line: string): void;
}

/** One target at one rate: its rounds, and their latencies pooled. */
export interface OpenCell {
  share: number;
  rate: number;
  target: OpenTargetName;
  rounds: OpenLoopResult[];
  latencies: Float64Array;
  count: number;
  errors: number;
  drops: number;
}

/**
 * Why rounds: the p99 of one 3 s cell is its ~46th slowest request at 1,500 req/s, so a single stall of
 * the shared machine (the server, the load generator or the fake, on two cores) set a target's p99
 * and not the others'. Interleaved rounds spread such drift over every target, and pooling three
 * rounds makes the p99 a typical tail rather than the one worst moment.
 */
export async function measureOpenLoop(targets: readonly OpenTarget[], plan: OpenLoopPlan): Promise<OpenCell[]> {
  const cells: OpenCell[] = [];
  const pools = new Map<OpenTargetName, Pool>();
  const poolOf = (t: OpenTarget) => {
    let pool = pools.get(t.name);
    if (!pool) pools.set(t.name, (pool = new Pool(t.origin, { connections: plan.connections, pipelining: 1, keepAliveTimeout: 30_000 })));
    return pool;
  };
  try {
    for (const share of plan.shares) {
      const rate = Math.max(1, Math.round(plan.floorPeakRps * share));
      const spec = (t: OpenTarget) => ({ path: t.path, headers: t.headers, body: t.body, rate, maxInFlight: plan.maxInFlight });
      const rounds = new Map<OpenTargetName, OpenLoopResult[]>(targets.map((t) => [t.name, []]));
      // Warm-up: connections, JIT.
      for (const t of targets) await runOpenLoop(poolOf(t), { ...spec(t), durationMs: 500 });
      for (let round = 0; round < plan.rounds; round++) {
        for (let k = 0; k < targets.length; k++) {
          const t = targets[(round + k) % targets.length]!;
          const result = await runOpenLoop(poolOf(t), { ...spec(t), durationMs: plan.roundMs });
          rounds.get(t.name)!.push(result);
          plan.progress(
            `open ${share * 100}% ${rate} req/s round ${round + 1} ${t.name.padEnd(11)} ${result.count} answered, ${result.errors} errors, ${result.drops} dropped, p99 ${percentile(result.latencies, 99).toFixed(3)} ms`,
          );
        }
      }
      for (const t of targets) {
        const results = rounds.get(t.name)!;
        const latencies = new Float64Array(results.reduce((n, r) => n + r.latencies.length, 0));
        let at = 0;
        for (const r of results) {
          latencies.set(r.latencies, at);
          at += r.latencies.length;
        }
        const sum = (key: 'count' | 'errors' | 'drops') => results.reduce((n, r) => n + r[key], 0);
        cells.push({
          share,
          rate,
          target: t.name,
          rounds: results,
          latencies,
          count: sum('count'),
          errors: sum('errors'),
          drops: sum('drops'),
        });
      }
    }
  } finally {
    await Promise.all([...pools.values()].map((p) => p.close()));
  }
  return cells;
}

/** The table's rows (pooled over rounds) and the goal's lines, one per rate. */
export function openLoopReport(cells: readonly OpenCell[], shares: readonly number[]): { rows: string[]; goals: string[] } {
  const rows: string[] = [];
  const goals: string[] = [];
  for (const share of shares) {
    const cell = (name: OpenTargetName) => cells.find((o) => o.share === share && o.target === name)!;
    const p = (name: OpenTargetName, q: number) => percentile(cell(name).latencies, q);
    for (const name of OPEN_LOOP_TARGETS) {
      const o = cell(name);
      const added = name === 'direct' ? '-' : `${signed(p(name, 50) - p('direct', 50))} / ${signed(p(name, 99) - p('direct', 99))}`;
      const perRound = o.rounds.map((r) => f(percentile(r.latencies, 99), 1)).join(', ');
      rows.push(
        `| ${share * 100}% (${o.rate} req/s) | ${name} | ${f(p(name, 50), 3)} / ${f(p(name, 99), 3)} | ${added} | ${perRound} | ${o.count} | ${o.errors} | ${o.drops} |`,
      );
    }
    const sb99 = p('switchboard', 99) - p('direct', 99);
    const fl99 = p('floor', 99) - p('direct', 99);
    const lost = cell('switchboard').drops + cell('switchboard').errors;
    goals.push(
      `2. open loop ${share * 100}% of floor peak (${cell('floor').rate} req/s), added p99 over ${cell('floor').rounds.length} interleaved rounds: Switchboard ${signed(sb99)} ms, floor ${signed(fl99)} ms (goal <= floor + 1 = ${f(fl99 + 1, 3)})${lost ? `, ${lost} Switchboard requests dropped or failed` : ''} ${verdict(sb99 <= fl99 + 1 && lost === 0)}`,
    );
  }
  return { rows, goals };
}
