// The port's overhead: one fake upstream called directly, through Switchboard and through the reference
// gateway (@portkey-ai/gateway), JSON and streaming, at concurrency 1, 32 and 256, in one run; then 256
// streams held open by a paced upstream, for memory. Each server runs in its own process (Switchboard as
// the built CLI, `switchboard serve`); the load
// generator runs here. Prints added latency (p50/p99) and added time to first token over direct (first
// content delta, as a client sees it), requests/s, CPU per request and peak RSS, with
// Switchboard/reference ratios, and what a bare Node pass-through proxy adds (floor-proxy.ts), the
// floor under any Node gateway on this machine. Bounded: ~2 min.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
// @ts-expect-error: a plain .mjs script, no type declarations
import { SERVE_NODE_FLAGS } from '../../scripts/serve-flags.mjs';
import { startOpenAIFake } from '../fakes/openai-fake';
import { startFloorProxy } from './floor-proxy';
import { percentile, runLoad, type LoadResult } from './load';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 2500);
const CONCURRENCY = [1, 32, 256];
const UPSTREAM_KEY = 'bench-upstream-key';
const role = process.env.BENCH_ROLE;

/** A child process running one fake upstream. */
async function fakeRole(): Promise<void> {
  // The paced fake spaces its stream chunks (20 ms apart) so that 256 streams really are open at once.
  const pace = Number(process.env.BENCH_PACE_MS ?? 0);
  const fake = await startOpenAIFake({
    record: false,
    apiKey: UPSTREAM_KEY,
    models: ['m1'],
    chunks: 6,
    reply: 'Benchmarks measure what the port adds, nothing else.',
    fault: pace ? { chunkDelayMs: pace } : undefined,
  });
  console.log(JSON.stringify({ url: fake.url }));
}

/**
 * Switchboard as users run it: the built CLI, `switchboard serve`, in its own data dir with a config
 * naming the two fakes and a client token made by `switchboard token create`.
 */
async function startSwitchboard(
  upstream: string,
  pacedUpstream: string,
): Promise<{ child: ChildProcess; url: string; token: string; dataDir: string }> {
  const cli = join(process.cwd(), 'dist/cli.js');
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const configFile = join(dataDir, 'bench-config.json');
  const provider = (id: string, baseUrl: string) => ({
    id,
    kind: 'openai-compatible',
    baseUrl,
    keys: [{ env: 'UP_KEY' }],
    models: [{ id: 'm1', price: { input: 1, output: 2 } }],
  });
  writeFileSync(
    configFile,
    JSON.stringify({
      providers: [provider('up', upstream), provider('paced', pacedUpstream)],
      routes: [
        { name: 'bench', targets: [{ provider: 'up', model: 'm1' }] },
        { name: 'held', targets: [{ provider: 'paced', model: 'm1' }] },
      ],
    }),
  );
  const env = { ...process.env, UP_KEY: UPSTREAM_KEY, SWITCHBOARD_DATA_DIR: dataDir };
  const made = spawnSync(process.execPath, [cli, 'token', 'create', 'bench'], { env, encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`switchboard token create failed: ${made.stderr}`);
  const token = made.stdout.trim().split('\n').pop()!;
  // Launched as `npm start` and `npm run serve` launch it: with the same node flags.
  const child = spawn(process.execPath, [...(SERVE_NODE_FLAGS as string[]), cli, 'serve', '--port', '0', '--config', configFile], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('switchboard serve did not start within 20 s')), 20_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /^listening on (\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`switchboard serve exited (${code})`)));
  });
  return { child, url, token, dataDir };
}

function firstLine(child: ChildProcess): Promise<any> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('a bench server did not start within 20 s')), 20_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line));
    });
    child.once('exit', (code) => reject(new Error(`a bench server exited (${code})`)));
  });
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

async function waitForPort(url: string): Promise<void> {
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} did not answer within 20 s`);
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** CPU time (user + system) the process has used, in ms: per-request cost that a busy machine does not distort much. */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

interface Target {
  name: 'direct' | 'switchboard' | 'reference' | 'floor';
  origin: string;
  path: string;
  pid: number;
  headers: Record<string, string>;
  model: string;
}

/**
 * `large`: JSON with a ~190 KB prompt, the size IDE agents send (not one of the cells; no goal).
 * At c=1 only: at higher concurrency the fake upstream parsing 190 KB bodies is the bottleneck.
 */
type Mode = 'json' | 'stream' | 'held' | 'large';

/** A long conversation, as coding agents send: 200 turns of ~900 characters. */
const LARGE_MESSAGES = Array.from({ length: 200 }, (_, i) => ({
  role: i % 2 ? 'assistant' : 'user',
  content: `${'Here is more of the file we are editing. '.repeat(22)}(turn ${i})`,
}));

interface Row {
  target: Target['name'];
  mode: Mode;
  c: number;
  p50: number;
  p99: number;
  ttft50: number;
  rps: number;
  rss: number;
  cpuUsPerReq: number;
  errors: number;
  count: number;
}

async function measure(t: Target, mode: Mode, c: number): Promise<Row> {
  const stream = mode === 'stream' || mode === 'held';
  let peak = rssMb(t.pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(t.pid))), 25);
  const messages = mode === 'large' ? LARGE_MESSAGES : [{ role: 'user', content: 'Say something short.' }];
  const body = JSON.stringify({ model: t.model, messages, max_tokens: 64, ...(stream ? { stream: true } : {}) });
  let r: LoadResult;
  const cpu0 = cpuMs(t.pid);
  try {
    r = await runLoad({
      origin: t.origin,
      path: t.path,
      headers: { 'content-type': 'application/json', ...t.headers },
      body,
      concurrency: c,
      durationMs: DURATION_MS,
      maxRequests: 300_000,
      warmup: Math.max(100, c * 3),
      ttftMarker: stream ? '{"content":"' : undefined,
    });
  } finally {
    clearInterval(sampler);
  }
  // Warm-up requests are counted in the CPU too: divide by every request the process served.
  const served = r.count + r.errors + Math.max(100, c * 3);
  return {
    target: t.name,
    mode,
    c,
    p50: percentile(r.latencies, 50),
    p99: percentile(r.latencies, 99),
    ttft50: percentile(r.ttfts, 50),
    rps: r.rps,
    rss: peak,
    cpuUsPerReq: ((cpuMs(t.pid) - cpu0) * 1000) / served,
    errors: r.errors,
    count: r.count,
  };
}

const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const ratio = (a: number, b: number) => (Number.isFinite(a / b) && b !== 0 ? `${(a / b).toFixed(2)}x` : 'n/a');

async function main(): Promise<void> {
  const children: ChildProcess[] = [];
  const watchdog = setTimeout(() => {
    console.error('bench: exceeded 240 s, stopping');
    for (const ch of children) ch.kill('SIGKILL');
    process.exit(1);
  }, 240_000);
  const self = process.argv[1]!;
  const fake = spawn(process.execPath, [self], { env: { ...process.env, BENCH_ROLE: 'fake' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const paced = spawn(process.execPath, [self], {
    env: { ...process.env, BENCH_ROLE: 'fake', BENCH_PACE_MS: '20' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(fake, paced);
  const { url: upstream } = await firstLine(fake);
  const { url: pacedUpstream } = await firstLine(paced);
  const { child: sb, url: sbUrl, token, dataDir } = await startSwitchboard(upstream, pacedUpstream);
  children.push(sb);
  const floor = spawn(process.execPath, [self], { env: { ...process.env, BENCH_ROLE: 'floor' }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(floor);
  const { url: floorUrl } = await firstLine(floor);
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
        model: 'm1',
      },
      {
        name: 'switchboard',
        origin: sbUrl,
        path: '/v1/chat/completions',
        pid: sb.pid!,
        headers: { authorization: `Bearer ${token}` },
        model: held ? 'held' : 'bench',
      },
      {
        name: 'reference',
        origin: `http://127.0.0.1:${refPort}`,
        path: '/v1/chat/completions',
        pid: ref.pid!,
        headers: { authorization: `Bearer ${UPSTREAM_KEY}`, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': upstreamUrl },
        model: 'm1',
      },
      {
        name: 'floor',
        origin: floorUrl,
        path: '/v1/chat/completions',
        pid: floor.pid!,
        headers: { authorization: `Bearer ${UPSTREAM_KEY}`, 'x-upstream': new URL(upstreamUrl).origin },
        model: 'm1',
      },
    ];
  };
  const rows: Row[] = [];
  const started = Date.now();
  // Held streams first: their memory is measured before the throughput cells (100k+ requests) have
  // grown every server's heap, for Switchboard and the reference alike.
  const cells: Array<[Mode, number]> = [
    ['held', 256],
    ...CONCURRENCY.map((c) => ['json', c] as [Mode, number]),
    ...CONCURRENCY.map((c) => ['stream', c] as [Mode, number]),
    ['large', 1],
  ];
  for (const [mode, c] of cells) {
    for (const t of targets(mode === 'held')) {
      const row = await measure(t, mode, c);
      rows.push(row);
      process.stderr.write(
        `  ${mode.padEnd(6)} c=${String(c).padEnd(3)} ${t.name.padEnd(11)} ${row.count} req, ${row.errors} errors, p50 ${f(row.p50)} ms\n`,
      );
    }
  }
  report(rows, cells, Date.now() - started);
  clearTimeout(watchdog);
  for (const ch of children) ch.kill('SIGTERM');
  await new Promise((r) => sb.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}

function report(rows: Row[], cells: Array<[Mode, number]>, elapsed: number): void {
  const get = (target: Row['target'], mode: Mode, c: number) => rows.find((r) => r.target === target && r.mode === mode && r.c === c)!;
  const lines = [
    '| mode | c | direct p50 / p99 ms | direct req/s | Switchboard added p50 / p99 ms | reference added p50 / p99 ms | added TTFT p50 ms (SB / ref) | req/s SB / ref (ratio) | CPU µs/req SB / ref (ratio) | peak RSS MB SB / ref (ratio) | bare Node proxy: added p50 / p99 ms, CPU µs/req |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const verdicts: string[] = [];
  for (const [mode, c] of cells) {
    {
      const stream = mode === 'stream' || mode === 'held';
      const d = get('direct', mode, c);
      const s = get('switchboard', mode, c);
      const r = get('reference', mode, c);
      const fl = get('floor', mode, c);
      const flAdd = [fl.p50 - d.p50, fl.p99 - d.p99];
      const sAdd = [s.p50 - d.p50, s.p99 - d.p99];
      const rAdd = [r.p50 - d.p50, r.p99 - d.p99];
      const ttft = stream ? `${f(s.ttft50 - d.ttft50)} / ${f(r.ttft50 - d.ttft50)}` : '-';
      lines.push(
        `| ${mode === 'held' ? 'stream, held open (20 ms/chunk)' : mode === 'large' ? 'json, 190 KB prompt' : mode} | ${c} | ${f(d.p50)} / ${f(d.p99)} | ${f(d.rps, 0)} | ${f(sAdd[0]!, 3)} / ${f(sAdd[1]!, 3)} (${ratio(sAdd[0]!, rAdd[0]!)} / ${ratio(sAdd[1]!, rAdd[1]!)} of ref) | ${f(rAdd[0]!, 3)} / ${f(rAdd[1]!, 3)} | ${ttft} | ${f(s.rps, 0)} / ${f(r.rps, 0)} (${ratio(s.rps, r.rps)}) | ${f(s.cpuUsPerReq, 0)} / ${f(r.cpuUsPerReq, 0)} (${ratio(s.cpuUsPerReq, r.cpuUsPerReq)}) | ${f(s.rss, 0)} / ${f(r.rss, 0)} (${ratio(s.rss, r.rss)}) | ${f(flAdd[0]!, 3)} / ${f(flAdd[1]!, 3)}, ${f(fl.cpuUsPerReq, 0)} |`,
      );
      if (mode === 'large') continue; // no goal: shown for what IDE agents send
      if (mode === 'held') {
        verdicts.push(
          `held streams c=256: peak RSS ${f(s.rss, 0)} MB with 256 open streams (goal < 150) ${s.rss < 150 ? 'MET' : 'NOT MET'}`,
        );
        continue;
      }
      if (c === 32)
        verdicts.push(
          `${mode} c=32: added p50 ${f(sAdd[0]!, 3)} ms (goal < 0.25) ${sAdd[0]! < 0.25 ? 'MET' : 'NOT MET'}; added p99 ${f(sAdd[1]!, 3)} ms (goal < 1) ${sAdd[1]! < 1 ? 'MET' : 'NOT MET'} (a bare Node proxy adds ${f(flAdd[0]!, 3)} / ${f(flAdd[1]!, 3)})`,
        );
      verdicts.push(
        `${mode} c=${c}: throughput ${ratio(s.rps, r.rps)} the reference (goal >= 3x) ${s.rps >= 3 * r.rps ? 'MET' : 'NOT MET'}`,
      );
    }
  }
  const errors = rows.filter((r) => r.errors > 0).map((r) => `${r.target} ${r.mode} c=${r.c}: ${r.errors}`);
  console.log(
    `\nport bench (${(elapsed / 1000).toFixed(0)} s, ${DURATION_MS} ms per cell, load generator in-process, each server in its own process, node ${process.version})\n`,
  );
  console.log(lines.join('\n'));
  console.log(`\n${verdicts.join('\n')}`);
  console.log(errors.length ? `errors: ${errors.join('; ')}` : 'errors: none');
}

if (role === 'fake') void fakeRole();
else if (role === 'floor') void startFloorProxy().then((url) => console.log(JSON.stringify({ url })));
else
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
