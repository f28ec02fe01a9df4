// The long router soak (`npm run bench`): 200 concurrent streaming clients for many rounds across
// three targets (~10% faults on two, one broken, its breaker half-opening every 2 s). Prints a table
// and exits non-zero if any client hung, any stream ended silently truncated or any ledger row is
// missing or duplicated. ROUNDS=N overrides the round count.
import { runSoak } from '../support/router-soak';

const rounds = Number(process.env.ROUNDS ?? 15);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

const r = await runSoak({ clients: 200, rounds, faultRate: 0.1, timeouts: { firstTokenMs: 4000, idleMs: 4000, totalMs: 12_000 }, openMs: 2000, seed: 11 });
const rows: Array<[string, string | number]> = [
  ['requests (200 clients x rounds)', `${r.requests} (${rounds} rounds)`],
  ['answered in full', r.ok],
  ['clean errors (mid-stream cuts, all targets failed)', r.cleanErrors],
  ['hung past total timeout', r.hangs],
  ['silently truncated', r.silentTruncations],
  ['ledger rows / unique ids', `${r.rows} / ${r.uniqueRowIds}`],
  ['broken target tried: first round', `${(r.brokenShareFirstRound * 100).toFixed(1)}%`],
  ['broken target tried: later rounds', `${(r.brokenShareLater * 100).toFixed(2)}%`],
  ['latency p50 / p95 / p99 (ms)', `${pct(r.latenciesMs, 50).toFixed(0)} / ${pct(r.latenciesMs, 95).toFixed(0)} / ${pct(r.latenciesMs, 99).toFixed(0)}`],
  ['requests per second', (r.requests / (r.durationMs / 1000)).toFixed(0)],
  ['upstream requests left running / connections left open', `${r.leftInFlight} / ${r.leftOpen}`],
];
const width = Math.max(...rows.map(([k]) => k.length));
console.log('router soak');
for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
const bad = r.hangs > 0 || r.silentTruncations > 0 || r.rows !== r.requests || r.uniqueRowIds !== r.requests || r.leftInFlight > 0 || r.leftOpen > 0;
process.exit(bad ? 1 : 0);
