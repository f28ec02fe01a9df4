// The long router soak (`npm run bench`): 200 concurrent streaming clients for many rounds across
// three targets (~10% faults on two, one broken, its breaker half-opening every 2 s). Prints a table
// and exits non-zero if any client hung, any stream ended silently truncated or any ledger row is
// missing or duplicated. ROUNDS=N overrides the round count.
import { parseConfig } from '../../electron/engine/settings/config-schema';
import { RouterHealth } from '../../electron/engine/router/health';
import { RouteTable } from '../../electron/engine/router/resolve';
import { conversationKey } from '../../electron/engine/router/sticky';
import { orderTargets } from '../../electron/engine/router/strategy';
import { runSoak } from '../support/router-soak';

/** The router's own per-request work (resolve, order, health checks, sticky key), without any I/O. */
function hotPathMicros(): { resolveOrder: number; stickyKey: number } {
  const cfg = parseConfig({
    providers: ['a', 'b', 'c'].map((id) => ({
      id,
      kind: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:1/v1',
      models: [{ id: 'm', price: { input: 1, output: 2 } }],
    })),
    routes: [{ name: 'r', strategy: 'weighted', targets: ['a', 'b', 'c'].map((provider) => ({ provider, model: 'm' })) }],
    aliases: [{ match: 'claude-*', to: 'r' }],
  });
  const health = new RouterHealth();
  const table = new RouteTable(cfg.providers, cfg.routes, cfg.aliases, health);
  const body = {
    model: 'claude-sonnet-4-5',
    messages: [
      { role: 'system', content: 'x'.repeat(20_000) },
      { role: 'user', content: 'hello there' },
    ],
  };
  const n = 100_000;
  let t = performance.now();
  for (let i = 0; i < n; i++) {
    const { plan } = table.resolve('claude-sonnet-4-5');
    for (const target of orderTargets(plan, { health, inputTokens: 0, outputTokens: 0, random: Math.random }))
      health.availability(`${target.provider.id}/${target.model}`);
  }
  const resolveOrder = ((performance.now() - t) * 1000) / n;
  t = performance.now();
  for (let i = 0; i < n / 10; i++) conversationKey('client\0r', body);
  return { resolveOrder, stickyKey: ((performance.now() - t) * 1000) / (n / 10) };
}

const rounds = Number(process.env.ROUNDS ?? 15);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

const r = await runSoak({
  clients: 200,
  rounds,
  faultRate: 0.1,
  timeouts: { firstTokenMs: 4000, idleMs: 4000, totalMs: 12_000 },
  openMs: 2000,
  seed: 11,
});
const rows: Array<[string, string | number]> = [
  ['requests (200 clients x rounds)', `${r.requests} (${rounds} rounds)`],
  ['answered in full', r.ok],
  ['clean errors (mid-stream cuts, all targets failed)', r.cleanErrors],
  ['hung past total timeout', r.hangs],
  ['silently truncated', r.silentTruncations],
  ['ledger rows / unique ids', `${r.rows} / ${r.uniqueRowIds}`],
  ['broken target tried: first round', `${(r.brokenShareFirstRound * 100).toFixed(1)}%`],
  ['broken target tried: later rounds', `${(r.brokenShareLater * 100).toFixed(2)}%`],
  [
    'latency p50 / p95 / p99 (ms)',
    `${pct(r.latenciesMs, 50).toFixed(0)} / ${pct(r.latenciesMs, 95).toFixed(0)} / ${pct(r.latenciesMs, 99).toFixed(0)}`,
  ],
  ['requests per second', (r.requests / (r.durationMs / 1000)).toFixed(0)],
  ['upstream requests left running / connections left open', `${r.leftInFlight} / ${r.leftOpen}`],
  [
    'failed requests by last attempt',
    Object.entries(r.errorKinds)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none',
  ],
];
const micro = hotPathMicros();
rows.push(['router hot path: resolve alias + order 3 targets (us/request)', micro.resolveOrder.toFixed(2)]);
rows.push(['sticky key over a 20 KB system prompt (us/request)', micro.stickyKey.toFixed(2)]);
const width = Math.max(...rows.map(([k]) => k.length));
console.log('router soak');
for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
const bad =
  r.hangs > 0 || r.silentTruncations > 0 || r.rows !== r.requests || r.uniqueRowIds !== r.requests || r.leftInFlight > 0 || r.leftOpen > 0;
process.exit(bad ? 1 : 0);
