// Issue 16's goals measured in one run (~4 min, bounded): a fake upstream called directly, through the bare
// Node proxy (the floor), through `switchboard serve` and through the reference gateway; tables, then each goal.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startOpenAIFake } from '../fakes/openai-fake';
import { children, firstLine, freePort, killAll, programBundle, spawnRole as spawnBenchRole, stop, waitForPort } from './bench-processes';
import { coldStarts } from './cold-starts';
import { placeEngineWorkers } from './ledger-fixtures';
import { percentile, runLoad, type LoadResult } from './load';
import { measureOpenLoop } from './open-loop-cells';
import { portReport, type CpuRound, type Mode, type Row, type SequentialCell, type TargetName } from './port-report';
import { cpuMs, residentMb, type Resident } from './proc-stats';
import { f } from './report-format';
import { runInterleaved } from './sequential';
import {
  benchConfig,
  checkBudgets,
  DIRECT_MODEL,
  FAKE_MODELS,
  HELD_ROUTE,
  prepareDataDir,
  startServe,
  SWITCHBOARD_MODEL,
  UPSTREAM_KEY,
} from './switchboard-serve';
import { writerCpuRuns, writerRole } from './writer-cpu';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 2500);
const CONCURRENCY = [32, 256];
/** Sequential (c=1) requests per target and client, after C1_WARMUP discarded rounds. */
const C1_MEASURED = Number(process.env.BENCH_C1_REQUESTS ?? 800);
const C1_WARMUP = 200;
const REFERENCE_EVERY = 4;
/**
 * CPU per request against the floor at c=32 is judged on this many rounds (the table's cell and the
 * rest, floor and Switchboard in turn): one 2.5 s cell of each swung the ratio by 0.3-0.7x between runs.
 */
const CPU_ROUNDS = Number(process.env.BENCH_CPU_ROUNDS ?? 3);
const OPEN_LOOP_MS = Number(process.env.BENCH_OPEN_LOOP_MS ?? 3000);
/** Interleaved rounds per target and rate, pooled (open-loop-cells.ts says why). */
const OPEN_LOOP_ROUNDS = Number(process.env.BENCH_OPEN_LOOP_ROUNDS ?? 3);
const OPEN_LOOP_SHARES = [0.25, 0.5];
/** Enough connections that the client never queues at these rates; the in-flight bound counts drops instead. */
const OPEN_LOOP_CONNECTIONS = 64;
const OPEN_LOOP_MAX_IN_FLIGHT = 256;
const COLD_STARTS = 5;
const COLD_LEDGER_ROWS = 10_000;
const WRITER_ROWS = Number(process.env.BENCH_WRITER_ROWS ?? 50_000);
/** The whole run's bound (a busy machine may need more: BENCH_WATCHDOG_MS). */
const WATCHDOG_MS = Number(process.env.BENCH_WATCHDOG_MS ?? 360_000);
/** Time to first token: the first body chunk with a content delta, as a client sees it. */
const TTFT_MARKER = '{"content":"';
const role = process.env.BENCH_ROLE;
// Cells, in order: 256 held streams (memory, before the heaps grow); concurrency 1 interleaved with an
// undici and a node:http client; closed loop at c=32 and 256 (throughput, CPU per request), then more
// rounds of the c=32 CPU cells for Switchboard and the floor (CPU_ROUNDS); open loop at 25% and 50% of
// the floor's peak, in interleaved rounds (open-loop-cells.ts); a 190 KB prompt; cold starts on a
// 10,000-row ledger; the ledger writer's CPU per row. Each server and fake runs in its own process; the
// load generators run here.

/** A child process running one fake upstream. */
async function fakeRole(): Promise<void> {
  // The paced fake spaces its stream chunks (20 ms apart) so that 256 streams really are open at once.
  const pace = Number(process.env.BENCH_PACE_MS ?? 0);
  const fake = await startOpenAIFake({
    record: false,
    apiKey: UPSTREAM_KEY,
    models: FAKE_MODELS,
    chunks: 6,
    reply: 'Benchmarks measure what the port adds, nothing else.',
    fault: pace ? { chunkDelayMs: pace } : undefined,
  });
  console.log(JSON.stringify({ url: fake.url }));
}

interface Target {
  name: TargetName;
  origin: string;
  path: string;
  pid: number;
  headers: Record<string, string>;
  model: string;
}

/** A long conversation, as coding agents send: 200 turns of ~900 characters. */
const LARGE_MESSAGES = Array.from({ length: 200 }, (_, i) => ({
  role: i % 2 ? 'assistant' : 'user',
  content: `${'Here is more of the file we are editing. '.repeat(22)}(turn ${i})`,
}));

function bodyFor(t: Target, mode: Mode): string {
  const stream = mode === 'stream' || mode === 'held';
  const messages = mode === 'large' ? LARGE_MESSAGES : [{ role: 'user', content: 'Say something short.' }];
  return JSON.stringify({ model: t.model, messages, max_tokens: 64, ...(stream ? { stream: true } : {}) });
}

const jsonHeaders = (t: Target) => ({ 'content-type': 'application/json', ...t.headers });

/** Closed loop: `c` requests in flight for DURATION_MS, with the server's peak RSS and CPU per request. */
async function measure(t: Target, mode: Mode, c: number): Promise<Row> {
  const stream = mode === 'stream' || mode === 'held';
  let peak: Resident = residentMb(t.pid);
  const sampler = setInterval(() => {
    const now = residentMb(t.pid);
    if (now.rss > peak.rss) peak = now;
  }, 25);
  const warmup = Math.max(100, c * 3);
  let r: LoadResult;
  const cpu0 = cpuMs(t.pid);
  try {
    r = await runLoad({
      origin: t.origin,
      path: t.path,
      headers: jsonHeaders(t),
      body: bodyFor(t, mode),
      concurrency: c,
      durationMs: DURATION_MS,
      maxRequests: 300_000,
      warmup,
      ttftMarker: stream ? TTFT_MARKER : undefined,
    });
  } finally {
    clearInterval(sampler);
  }
  // Warm-up requests are counted in the CPU too: divide by every request the process served.
  const served = r.count + r.errors + warmup;
  return {
    target: t.name,
    mode,
    c,
    p50: percentile(r.latencies, 50),
    p99: percentile(r.latencies, 99),
    ttft50: percentile(r.ttfts, 50),
    rps: r.rps,
    rss: peak.rss,
    rssFile: peak.file,
    cpuUsPerReq: ((cpuMs(t.pid) - cpu0) * 1000) / served,
    errors: r.errors,
    count: r.count,
  };
}

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    console.error(`bench: exceeded ${WATCHDOG_MS / 1000} s, stopping`);
    killAll();
    process.exit(1);
  }, WATCHDOG_MS);
  const started = Date.now();
  // Now, while dist/ and this bundle are of the same sources (`npm run bench` has just made both).
  placeEngineWorkers();
  const self = process.argv[1]!;
  const spawnRole = (name: string, env: Record<string, string> = {}) => spawnBenchRole(self, name, env);
  const fake = spawnRole('fake');
  const paced = spawnRole('fake', { BENCH_PACE_MS: '20' });
  const { url: upstream } = await firstLine(fake, 'the fake upstream');
  const { url: pacedUpstream } = await firstLine(paced, 'the paced fake upstream');
  const config = benchConfig(upstream, pacedUpstream);
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const setup = prepareDataDir(dataDir, config);
  const sb = await startServe(setup);
  children.push(sb.child);
  const budgetsBefore = await checkBudgets(sb);
  // Not a role of this bundle: the bench's own code (its fakes, the engine's config code) would count in
  // the floor's memory (~25 MB more resident when idle).
  const floor = spawnBenchRole(programBundle('floor-main'), 'floor');
  const { url: floorUrl } = await firstLine(floor, 'the floor proxy');
  const refPort = await freePort();
  const refEntry = join(process.cwd(), 'node_modules/@portkey-ai/gateway/build/start-server.js');
  const ref = spawn(process.execPath, [refEntry, `--port=${refPort}`, '--headless'], { stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(ref);
  await waitForPort(`http://127.0.0.1:${refPort}/`);

  const targets = (held: boolean): Target[] => {
    const upstreamUrl = held ? pacedUpstream : upstream;
    return [
      {
        name: 'direct',
        origin: new URL(upstreamUrl).origin,
        path: '/v1/chat/completions',
        pid: (held ? paced : fake).pid!,
        headers: { authorization: `Bearer ${UPSTREAM_KEY}` },
        model: DIRECT_MODEL,
      },
      {
        name: 'floor',
        origin: floorUrl,
        path: '/v1/chat/completions',
        pid: floor.pid!,
        headers: { authorization: `Bearer ${UPSTREAM_KEY}`, 'x-upstream': new URL(upstreamUrl).origin },
        model: DIRECT_MODEL,
      },
      {
        name: 'switchboard',
        origin: sb.url,
        path: '/v1/chat/completions',
        pid: sb.child.pid!,
        headers: { authorization: `Bearer ${setup.token}` },
        model: held ? HELD_ROUTE : SWITCHBOARD_MODEL,
      },
      {
        name: 'reference',
        origin: `http://127.0.0.1:${refPort}`,
        path: '/v1/chat/completions',
        pid: ref.pid!,
        headers: { authorization: `Bearer ${UPSTREAM_KEY}`, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': upstreamUrl },
        model: DIRECT_MODEL,
      },
    ];
  };
  const byName = (name: TargetName, held = false) => targets(held).find((t) => t.name === name)!;
  // One request to each target first: a refusal (a config or budget mistake) stops the bench here
  // instead of filling every cell with errors.
  for (const t of [...targets(false), ...targets(true)]) {
    const res = await request(`${t.origin}${t.path}`, { method: 'POST', headers: jsonHeaders(t), body: bodyFor(t, 'json') });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`${t.name} (model ${t.model}) answered ${res.statusCode}: ${text.slice(0, 500)}`);
  }
  const progress = (line: string) =>
    process.stderr.write(`  [${String(Math.round((Date.now() - started) / 1000)).padStart(3)} s] ${line}\n`);

  // Held streams first: memory is measured before the throughput cells (100k+ requests) have grown
  // every server's heap, Switchboard's and the reference's alike.
  const rows: Row[] = [];
  const closedCell = async (mode: Mode, c: number) => {
    for (const t of targets(mode === 'held')) {
      const row = await measure(t, mode, c);
      rows.push(row);
      progress(
        `${mode.padEnd(6)} c=${String(c).padEnd(3)} ${t.name.padEnd(11)} ${row.count} req, ${row.errors} errors, p50 ${f(row.p50)} ms`,
      );
    }
  };
  await closedCell('held', 256);

  // Concurrency 1, interleaved, with both clients.
  const sequential: SequentialCell[] = [];
  for (const client of ['undici', 'node:http'] as const) {
    for (const mode of ['json', 'stream'] as const) {
      // The reference takes ~30 ms a streamed request at c=1 here: it joins every REFERENCE_EVERY-th round (no goal is about it).
      const ts = targets(false).map((t) => ({
        name: t.name,
        origin: t.origin,
        path: t.path,
        headers: jsonHeaders(t),
        body: bodyFor(t, mode),
        every: t.name === 'reference' ? REFERENCE_EVERY : 1,
      }));
      const results = await runInterleaved(client, ts, {
        warmup: C1_WARMUP,
        measured: C1_MEASURED,
        marker: mode === 'stream' ? TTFT_MARKER : undefined,
      });
      sequential.push({ client, mode, results });
      const p50 = (name: string) => f(percentile(results.get(name)!.latencies, 50), 3);
      progress(
        `c=1 ${client.padEnd(9)} ${mode.padEnd(6)} p50 direct ${p50('direct')}, floor ${p50('floor')}, switchboard ${p50('switchboard')}, reference ${p50('reference')} ms`,
      );
    }
  }

  // Closed loop: throughput and CPU per request.
  for (const mode of ['json', 'stream'] as const) for (const c of CONCURRENCY) await closedCell(mode, c);
  // More rounds of the CPU goal's two cells, the order alternating so neither always runs second.
  const cpuRounds: CpuRound[] = [];
  for (const mode of ['json', 'stream'] as const) {
    const first = rows.find((x) => x.mode === mode && x.c === 32 && x.target === 'switchboard')!;
    const floorFirst = rows.find((x) => x.mode === mode && x.c === 32 && x.target === 'floor')!;
    cpuRounds.push({ mode, switchboard: first.cpuUsPerReq, floor: floorFirst.cpuUsPerReq });
    for (let round = 1; round < CPU_ROUNDS; round++) {
      const order = round % 2 === 1 ? (['floor', 'switchboard'] as const) : (['switchboard', 'floor'] as const);
      const cpu = { floor: 0, switchboard: 0 };
      for (const name of order) cpu[name] = (await measure(byName(name), mode, 32)).cpuUsPerReq;
      cpuRounds.push({ mode, ...cpu });
      progress(`cpu round ${round + 1} ${mode} c=32: switchboard ${f(cpu.switchboard, 0)} µs, floor ${f(cpu.floor, 0)} µs per request`);
    }
  }

  // Open loop at shares of the floor's peak (closed loop, c=32, JSON, measured just before).
  const floorTarget = byName('floor');
  const peak = await runLoad({
    origin: floorTarget.origin,
    path: floorTarget.path,
    headers: jsonHeaders(floorTarget),
    body: bodyFor(floorTarget, 'json'),
    concurrency: 32,
    durationMs: 2_000,
    maxRequests: 300_000,
    warmup: 200,
  });
  const floorPeakRps = peak.rps;
  progress(`floor peak, closed loop c=32 json: ${f(floorPeakRps, 0)} req/s`);
  const open = await measureOpenLoop(
    (['direct', 'floor', 'switchboard'] as const).map((name) => {
      const t = byName(name);
      return { name, origin: t.origin, path: t.path, headers: jsonHeaders(t), body: bodyFor(t, 'json') };
    }),
    {
      shares: OPEN_LOOP_SHARES,
      floorPeakRps,
      rounds: OPEN_LOOP_ROUNDS,
      roundMs: OPEN_LOOP_MS,
      connections: OPEN_LOOP_CONNECTIONS,
      maxInFlight: OPEN_LOOP_MAX_IN_FLIGHT,
      progress,
    },
  );

  await closedCell('large', 1);
  const budgetsAfter = await checkBudgets(sb);

  // The servers under load are done: the cold starts and the writer run on a quieter machine.
  await Promise.all([stop(sb.child), stop(ref), stop(floor)]);
  rmSync(dataDir, { recursive: true, force: true });
  const cold = await coldStarts(config, COLD_STARTS, COLD_LEDGER_ROWS);
  progress(`cold starts: ${cold.map((ms) => f(ms, 0)).join(', ')} ms`);
  // Each writer run in a process of its own, so /proc/self counts nothing else.
  const writer = await writerCpuRuns(self, WRITER_ROWS);

  console.log(
    portReport(
      { rows, sequential, open, cpuRounds, floorPeakRps, cold, writer, budgetsBefore, budgetsAfter, elapsed: Date.now() - started },
      {
        durationMs: DURATION_MS,
        concurrency: CONCURRENCY,
        c1Measured: C1_MEASURED,
        c1Warmup: C1_WARMUP,
        referenceEvery: REFERENCE_EVERY,
        openLoop: {
          shares: OPEN_LOOP_SHARES,
          rounds: OPEN_LOOP_ROUNDS,
          roundMs: OPEN_LOOP_MS,
          connections: OPEN_LOOP_CONNECTIONS,
          maxInFlight: OPEN_LOOP_MAX_IN_FLIGHT,
        },
        coldLedgerRows: COLD_LEDGER_ROWS,
      },
    ),
  );
  clearTimeout(watchdog);
  await Promise.all(children.map(stop));
}

if (role === 'fake') void fakeRole();
else if (role === 'writer') void writerRole(WRITER_ROWS);
else
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      killAll();
      process.exit(1);
    },
  );
