// Ledger benchmarks (`npm run bench`): the writer thread's CPU per row, spend queries over a 1,000,000-row
// ledger (each under 50 ms, else a non-zero exit), and the port's latency with the batched vs a no-op ledger.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { Agent, request } from 'undici';
import type { SpendQuery } from '../../shared/types';
import { startGateway } from '../../electron/engine/gateway/server';
import { openLedger } from '../../electron/engine/ledger/ledger';
import type { Ledger } from '../../electron/engine/ledger/types';
import { Catalog } from '../../electron/engine/catalog/catalog';
import { Transport } from '../../electron/engine/providers/transport';
import { RouterHealth } from '../../electron/engine/router/health';
import { RouteTable } from '../../electron/engine/router/resolve';
import { parseConfig } from '../../electron/engine/settings/config-schema';
import { createVault } from '../../electron/engine/vault/vault';
import { startOpenAIFake } from '../fakes/openai-fake';
import { placeEngineWorkers, seedLedger } from './ledger-fixtures';
import { writerCpuRuns, writerGoalLine, writerRole } from './writer-cpu';

const ROWS = Number(process.env.BENCH_LEDGER_ROWS ?? 1_000_000);
const QUERY_BUDGET_MS = 50;
const DAY = 86_400_000;

const pct = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const fmt = (ms: number) => ms.toFixed(2).padStart(8);

async function benchQueries(): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-ledger-'));
  try {
    const t0 = performance.now();
    await seedLedger(dir, ROWS);
    console.log(`seeded ${ROWS.toLocaleString('en-US')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const ledger = openLedger(dir);
    const mid = new Date(Date.now() - 100 * DAY - 5 * 3_600_000).toISOString();
    const queries: Array<[string, () => Promise<unknown>]> = [];
    const add = (name: string, q: SpendQuery, series = false) => queries.push([name, () => (series ? ledger.series(q) : ledger.spend(q))]);
    add('total, all time', {});
    for (const by of ['day', 'model', 'provider', 'client', 'route'] as const) add(`by ${by}, all time`, { by });
    add('by model, last 7d', { since: '7d', by: 'model' });
    add('by client, last 30d', { since: '30d', by: 'client' });
    add(`by route, ${mid.slice(0, 16)} .. 3d ago`, { since: mid, until: '3d', by: 'route' });
    add('one client, last 24h', { since: '24h', client: 'client-1' });
    add('port only by provider, 90d', { since: '90d', source: 'port', by: 'provider' });
    add('series by model, 30d', { since: '30d', by: 'model' }, true);
    add('series by day, all time', {}, true);
    console.log(`\nspend queries over ${ROWS.toLocaleString('en-US')} rows (budget ${QUERY_BUDGET_MS} ms each; 7 runs, after one warm-up)`);
    console.log(`${'query'.padEnd(40)} ${'median'.padStart(8)} ${'max'.padStart(8)}  result`);
    let ok = true;
    for (const [name, q] of queries) {
      await q();
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const s = performance.now();
        await q();
        times.push(performance.now() - s);
      }
      const pass = pct(times, 50) < QUERY_BUDGET_MS;
      ok &&= pass;
      console.log(`${name.padEnd(40)} ${fmt(pct(times, 50))} ${fmt(Math.max(...times))}  ${pass ? 'ok' : 'OVER BUDGET'}`);
    }
    // The rollup answers exactly what a full scan answers.
    const exact = new Database(join(dir, 'ledger.db'));
    const scan = exact.prepare('SELECT COUNT(*) AS n, SUM(cost_usd) AS c FROM requests').get() as { n: number; c: number };
    exact.close();
    const fast = await ledger.spend({});
    // SUM(cost_usd) skips unknown costs, as knownCostUsd does.
    console.log(`check: rollup ${fast.requests} rows / $${fast.knownCostUsd.toFixed(4)} vs scan ${scan.n} / $${Number(scan.c).toFixed(4)}`);
    ok &&= fast.requests === Number(scan.n) && Math.abs(fast.knownCostUsd - Number(scan.c)) < 1e-6;
    await ledger.close();
    return ok;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const noopLedger = (): Ledger => ({
  record() {},
  open() {},
  async flush() {},
  spend: async () => {
    throw new Error('no-op');
  },
  series: async () => {
    throw new Error('no-op');
  },
  csv: async () => [],
  whenSettled() {},
  onRecord: () => () => {},
  get conversations(): Ledger['conversations'] {
    throw new Error('no-op');
  },
  recent: async () => [],
  requests: async () => [],
  async close() {},
});

async function benchPort(): Promise<void> {
  const fake = await startOpenAIFake({ models: ['m1'], apiKey: 'bench-key', chunks: 5 });
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-port-'));
  const config = parseConfig({
    providers: [
      {
        id: 'acme',
        kind: 'openai-compatible',
        baseUrl: fake.url,
        keys: [{ env: 'BENCH_KEY' }],
        models: [{ id: 'm1', price: { input: 1, output: 2 } }],
      },
    ],
  });
  const table = new RouteTable(config.providers, config.routes);
  const vault = createVault({ env: { BENCH_KEY: 'bench-key' } });
  const realLedger = openLedger(dir);
  const transport = new Transport();
  const parts = { table: () => table, vault, catalog: new Catalog(), transport, countTokensHealth: new RouterHealth() };
  const gateway = (ledger: Ledger) =>
    startGateway(
      { ...parts, ledger, clientFor: () => ({ name: 'bench', allow: null, allowProviders: null }), adminToken: 'x', services: {} as never },
      '127.0.0.1',
      0,
    );
  // A second no-op gateway is the control: the difference between the two no-ops is this machine's noise.
  const gateways = { ledger: await gateway(realLedger), noop: await gateway(noopLedger()), control: await gateway(noopLedger()) };
  const agent = new Agent({ connections: 16 });
  const body = JSON.stringify({ model: 'acme/m1', stream: true, messages: [{ role: 'user', content: 'benchmark me' }] });
  const one = async (url: string) => {
    const s = performance.now();
    const res = await request(`${url}/v1/chat/completions`, {
      method: 'POST',
      body,
      dispatcher: agent,
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
    return performance.now() - s;
  };
  const CONCURRENCY = 8;
  const PER_ROUND = Number(process.env.BENCH_PORT_REQUESTS ?? 400);
  const ROUNDS = 6;
  type Name = keyof typeof gateways;
  const names: Name[] = ['ledger', 'noop', 'control'];
  const samples: Record<Name, number[]> = { ledger: [], noop: [], control: [] };
  const round = async (name: Name) => {
    let left = PER_ROUND;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (left-- > 0) samples[name].push(await one(gateways[name].url));
      }),
    );
  };
  for (const name of names) await round(name); // warm-up, discarded
  for (const name of names) samples[name] = [];
  // Interleaved rounds, rotating which goes first, so machine noise falls on all alike.
  for (let i = 0; i < ROUNDS; i++) {
    for (let j = 0; j < names.length; j++) await round(names[(i + j) % names.length]!);
  }
  console.log(
    `\nport latency, streaming chat via a fake upstream: ${ROUNDS} interleaved rounds × ${PER_ROUND} requests, concurrency ${CONCURRENCY}`,
  );
  console.log(`${'ledger'.padEnd(22)} ${'p50 ms'.padStart(8)} ${'p90 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
  const label: Record<Name, string> = { noop: 'no-op ledger', control: 'no-op (control)', ledger: 'batched SQLite ledger' };
  for (const name of ['noop', 'control', 'ledger'] as const) {
    const s = samples[name];
    console.log(`${label[name].padEnd(22)} ${fmt(pct(s, 50))} ${fmt(pct(s, 90))} ${fmt(pct(s, 99))}`);
  }
  const ratio = (a: Name) => pct(samples[a], 99) / pct(samples.noop, 99);
  console.log(
    `p99 ratio ledger / no-op: ${ratio('ledger').toFixed(3)}; control / no-op (noise floor): ${ratio('control').toFixed(3)}  (rows written: ${(await realLedger.spend({})).requests})`,
  );
  for (const g of Object.values(gateways)) await g.close();
  await realLedger.close();
  await agent.close();
  await transport.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
}

// The ledger's writer thread runs from the built script, as under `switchboard serve` (copied now,
// while dist/ and this bundle are of the same sources).
placeEngineWorkers();
const writerRows = Number(process.env.BENCH_WRITER_ROWS ?? 50_000);
// The writer is measured in child processes of this bundle (writer-cpu.ts), each alone: CPU is read from /proc/self.
if (process.env.BENCH_ROLE === 'writer') await writerRole(writerRows);
if (!process.env.BENCH_SKIP_WRITER) console.log(writerGoalLine(await writerCpuRuns(process.argv[1]!, writerRows)));
const queriesOk = process.env.BENCH_SKIP_QUERIES ? true : await benchQueries();
if (!process.env.BENCH_SKIP_PORT) await benchPort();
process.exit(queriesOk ? 0 : 1);
