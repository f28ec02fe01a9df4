// Issue 17's bench goal: CPU per request of `switchboard serve` with the PostgreSQL ledger against the same
// serve on its SQLite ledger, closed loop at c=32 (JSON and streaming), pairs repeated in alternating order
// (~1 min here, bounded by a watchdog; BENCH_TEAM_REQUESTS and BENCH_TEAM_ROUNDS shorten a trial run).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startOpenAIFake } from '../fakes/openai-fake';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { children, firstLine, killAll, stop } from './bench-processes';
import { runLoad } from './load';
import { cpuMs, taskCpuMs, treeCpuMs } from './proc-stats';
import { benchConfig, FAKE_MODELS, startServe, SWITCHBOARD_MODEL, UPSTREAM_KEY, type Serving } from './switchboard-serve';
import { budgetsOf, localRows, postmasterPid, prepareBackend, teamRows, waitForRows, type Landing } from './team-ledger-setup';
import { aggregate, report, type Cell, type Kind, type Mode } from './team-ledger-report';

const CONCURRENCY = 32;
/** Requests per measured cell (the same count for both ledgers). */
const REQUESTS = Number(process.env.BENCH_TEAM_REQUESTS ?? 5000);
/** Measured pairs per mode; the order within a pair alternates from one round to the next. */
const ROUNDS = Number(process.env.BENCH_TEAM_ROUNDS ?? 4);
/** An unmeasured cell per ledger and mode first: connections, JIT, the first batches of each store. */
const WARMUP = 2000;
/** No cell takes longer than this, whatever the machine (a cut cell is reported, never hidden). */
const CELL_BOUND_MS = 60_000;
const WATCHDOG_MS = Number(process.env.BENCH_WATCHDOG_MS ?? 300_000);

let cluster: PostgresCluster | undefined;
const dirs: string[] = [];
/** Stops everything this run started, synchronously (the watchdog has no time to await). */
const cleanUp = () => {
  killAll();
  try {
    cluster?.stop();
  } catch (error) {
    console.error(`bench: stopping PostgreSQL: ${(error as Error).message}`);
  }
  cluster = undefined;
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
};

interface Backend extends Landing {
  kind: Kind;
  serving: Serving;
  token: string;
  /** Requests this server answered 200 to, and requests it was sent (every one ends as a row). */
  ok: number;
  sent: number;
}

const bodyFor = (mode: Mode) =>
  JSON.stringify({
    model: SWITCHBOARD_MODEL,
    messages: [{ role: 'user', content: 'Say something short.' }],
    max_tokens: 64,
    ...(mode === 'stream' ? { stream: true } : {}),
  });

/**
 * One closed-loop run of `count` requests at c=32, then a wait until every row is where its ledger puts
 * it (the SQLite file; PostgreSQL, past the outbox), and only then the CPU readings: the ledger's whole
 * cost per request is in the cell, none of it left to the next one.
 */
async function cell(b: Backend, mode: Mode, count: number, pgPid: number): Promise<Cell> {
  const pid = b.serving.child.pid!;
  const cpu0 = cpuMs(pid);
  const main0 = taskCpuMs(pid, pid);
  const pg0 = treeCpuMs(pgPid);
  const t0 = performance.now();
  const r = await runLoad({
    origin: b.serving.url,
    path: '/v1/chat/completions',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${b.token}` },
    body: bodyFor(mode),
    concurrency: CONCURRENCY,
    durationMs: CELL_BOUND_MS,
    maxRequests: count,
    warmup: 0,
  });
  b.ok += r.count;
  b.sent += r.count + r.errors;
  const settleMs = await waitForRows(b, b.ok);
  const served = r.count + r.errors;
  return {
    kind: b.kind,
    mode,
    requests: r.count,
    errors: r.errors,
    rps: r.rps,
    cpuUs: ((cpuMs(pid) - cpu0) * 1000) / served,
    mainUs: ((taskCpuMs(pid, pid) - main0) * 1000) / served,
    pgUs: ((treeCpuMs(pgPid) - pg0) * 1000) / served,
    settleMs,
    wallMs: performance.now() - t0,
  };
}

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    console.error(`bench: exceeded ${WATCHDOG_MS / 1000} s, stopping`);
    cleanUp();
    process.exit(1);
  }, WATCHDOG_MS);
  const started = Date.now();
  const progress = (line: string) =>
    process.stderr.write(`  [${String(Math.round((Date.now() - started) / 1000)).padStart(3)} s] ${line}\n`);

  cluster = await startPostgres();
  const ledgerUrl = await cluster.createDatabase('switchboard_bench');
  const pgPid = await postmasterPid(ledgerUrl);
  const fake = spawn(process.execPath, [process.argv[1]!], {
    env: { ...process.env, BENCH_ROLE: 'fake' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(fake);
  const { url: upstream } = await firstLine(fake, 'the fake upstream');
  // The bench's usual config (3 providers × 12 priced models, 5 routes); its paced provider is unused here.
  const config = benchConfig(upstream, upstream);

  const backends: Backend[] = [];
  for (const kind of ['sqlite', 'postgres'] as const) {
    const dataDir = mkdtempSync(join(tmpdir(), `switchboard-bench-${kind}-`));
    dirs.push(dataDir);
    const url = kind === 'postgres' ? ledgerUrl : undefined;
    const setup = prepareBackend(dataDir, config, url);
    const serving = await startServe(setup, url ? ['--ledger', url, '--instance', 'bench'] : []);
    children.push(serving.child);
    const budgets = await budgetsOf(serving);
    if (budgets.length > 0) throw new Error(`the ${kind} run has budgets (the bench compares ledgers alone): ${JSON.stringify(budgets)}`);
    backends.push({ kind, serving, token: setup.token, dataDir, ...(url ? { ledgerUrl: url } : {}), ok: 0, sent: 0 });
  }
  // One request each first: a refusal stops the bench here instead of filling every cell with errors.
  for (const b of backends) {
    const res = await request(`${b.serving.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${b.token}` },
      body: bodyFor('json'),
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`the ${b.kind} serve answered ${res.statusCode}: ${text.slice(0, 300)}`);
    b.ok++;
    b.sent++;
  }

  for (const mode of ['json', 'stream'] as const)
    for (const b of backends) {
      const w = await cell(b, mode, WARMUP, pgPid);
      progress(`warm-up ${mode.padEnd(6)} ${b.kind.padEnd(8)} ${w.requests} req, ${w.errors} errors`);
    }
  const cells: Array<Cell & { round: number }> = [];
  for (let round = 0; round < ROUNDS; round++)
    for (const mode of ['json', 'stream'] as const) {
      // Alternating which ledger goes first spreads drift (other work on the machine, heap growth) over both.
      const order = round % 2 === 0 ? backends : [...backends].reverse();
      for (const b of order) {
        const c = await cell(b, mode, REQUESTS, pgPid);
        cells.push({ ...c, round });
        progress(
          `round ${round + 1} ${mode.padEnd(6)} ${b.kind.padEnd(8)} ${c.requests} req, ${c.errors} errors, ${Math.round(c.cpuUs)} µs/req, rows landed ${Math.round(c.settleMs)} ms after the load`,
        );
      }
    }

  // Every row of the PostgreSQL run must be in the team database, once: a bench that loses rows is not
  // measuring the real thing. (The last cell already waited for the outbox to empty.)
  const pgBackend = backends.find((b) => b.kind === 'postgres')!;
  await waitForRows(pgBackend, pgBackend.ok);
  const team = await teamRows(ledgerUrl);
  const local = backends.map((b) => ({ kind: b.kind, rows: localRows(b.dataDir), sent: b.sent, ok: b.ok }));
  // SIGTERM: serve ships what is left and closes; SIGKILL only after 10 s.
  for (const b of backends) await stop(b.serving.child, 10_000);
  await stop(fake, 10_000);
  clearTimeout(watchdog);

  const summary = aggregate(cells);
  const { text, rowsOk } = report({
    requests: REQUESTS,
    rounds: ROUNDS,
    concurrency: CONCURRENCY,
    warmup: WARMUP,
    cells,
    summary,
    team,
    local,
  });
  console.log(text);
  if (!rowsOk) throw new Error('rows were lost or duplicated on the way to PostgreSQL (see above)');
}

if (process.env.BENCH_ROLE === 'fake')
  void startOpenAIFake({
    record: false,
    apiKey: UPSTREAM_KEY,
    models: FAKE_MODELS,
    chunks: 6,
    reply: 'Benchmarks measure what the port adds, nothing else.',
  }).then((fake) => console.log(JSON.stringify({ url: fake.url })));
else
  main().then(
    () => {
      cleanUp();
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      cleanUp();
      process.exit(1);
    },
  );
