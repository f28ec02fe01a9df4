// Load with faults on the port: 200 concurrent clients for a bounded time (30 s by default), OpenAI chat
// completions, streaming and not, ~10% of them to faulty models of one provider key (a 500, a stall cut
// by short route timeouts, a cut stream, and a model that answers every request 429 Retry-After: 5).
// Nothing may hang, the key's healthy models must keep answering (a per-model rate limit must not cool
// the whole key), the ledger must hold exactly one row per request, and memory must come back down.
import Database from 'libsql';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIFake, type FakeFault, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';
import { sleep } from '../support/router-fixtures';

/** How long the clients keep sending (SWITCHBOARD_LOAD_SECONDS overrides). */
const LOAD_MS = Number(process.env.SWITCHBOARD_LOAD_SECONDS ?? '30') * 1000;
/** How long after the load memory gets to come back (SWITCHBOARD_LOAD_SETTLE_SECONDS overrides). */
const SETTLE_MS = Number(process.env.SWITCHBOARD_LOAD_SETTLE_SECONDS ?? '20') * 1000;
const CLIENTS = 200;
/** Per client, whatever the time: the loop is bounded in count as well. */
const MAX_PER_CLIENT = 2000;
/** A request still unanswered after this counts as hung (and is aborted). */
const HUNG_MS = 10_000;
const WARMUP_PER_CLIENT = 3;

const HEALTHY = ['alpha', 'beta', 'gamma', 'delta'] as const;
const FAULTY = ['broken', 'stall', 'cut', 'limited'] as const;
type Model = (typeof HEALTHY)[number] | (typeof FAULTY)[number];
const REPLY = 'A complete answer from the fake, in several chunks.';

/** What each faulty model does to every request (the rest answer normally). */
function faultFor(model: string, stream: boolean): FakeFault | null {
  switch (model) {
    case 'broken':
      return { status: 500 };
    case 'stall':
      // Headers and a chunk, then silence (streaming); no headers at all (JSON). The route's short timeouts end it.
      return stream ? { stallAfterChunks: 1 } : { delayMs: 4000 };
    case 'cut':
      return stream ? { afterChunks: 2 } : { resetBeforeHeaders: true };
    case 'limited':
      return { status: 429, retryAfter: '5' };
    default:
      return null;
  }
}

/** Small deterministic PRNG: the model and stream mix is the same every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 90% to the healthy models, 10% spread over the faulty ones. */
function pickModel(random: () => number): Model {
  const r = random();
  if (r < 0.9) return HEALTHY[Math.floor((r / 0.9) * HEALTHY.length)]!;
  return FAULTY[Math.floor(((r - 0.9) / 0.1) * FAULTY.length) % FAULTY.length]!;
}

/** global.gc when the process has it; otherwise V8's flag turned on now (a fresh context sees it). */
function gcNow(): void {
  let gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

interface Outcome {
  model: Model;
  stream: boolean;
  /** 'ok', 'hung', an HTTP status, 'incomplete 200', or a client-side error code. */
  result: string;
  requestId: string | undefined;
  ms: number;
}

/** What the clients saw, kept compact (counters, and the ids the ledger is checked against). */
class Tally {
  readonly byModel: Record<string, Record<string, number>> = {};
  readonly requestIds: string[] = [];
  readonly hung: string[] = [];
  sent = 0;
  missingId = 0;
  slowestMs = 0;

  add(o: Outcome): void {
    this.sent++;
    const m = (this.byModel[o.model] ??= {});
    m[o.result] = (m[o.result] ?? 0) + 1;
    if (o.requestId !== undefined) this.requestIds.push(o.requestId);
    else if (o.result !== 'hung') this.missingId++;
    if (o.result === 'hung') this.hung.push(`${o.model}${o.stream ? ' (stream)' : ''}`);
    this.slowestMs = Math.max(this.slowestMs, o.ms);
  }

  count(models: readonly string[], result?: string): number {
    let n = 0;
    for (const model of models)
      for (const [r, c] of Object.entries(this.byModel[model] ?? {})) if (result === undefined || r === result) n += c;
    return n;
  }
}

/** Ids of the ledger rows this test's client produced, read straight from SQLite after a flush. */
async function ledgerIds(): Promise<string[]> {
  await h.app.services.spend.summary({}); // flushes queued rows
  const db = new Database(join(h.dataDir, 'ledger.db'), { readonly: true });
  try {
    return (db.prepare("SELECT id FROM requests WHERE client = 'load-client'").all() as Array<{ id: string }>).map((r) => r.id);
  } finally {
    db.close();
  }
}

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
const memoryLine = () => {
  const m = process.memoryUsage();
  return `rss ${mb(m.rss)}, heap used ${mb(m.heapUsed)} of ${mb(m.heapTotal)}, external ${mb(m.external)}, array buffers ${mb(m.arrayBuffers)}`;
};

let up: OpenAIFake;
let h: Harness;

beforeAll(async () => {
  // record: false, so the fake's request log does not grow with the load and blur the memory check.
  up = await startOpenAIFake({ apiKey: 'k', models: [...HEALTHY, ...FAULTY], reply: REPLY, chunks: 6, record: false });
  up.faultBy((_n, body) => faultFor(String(body?.model), body?.stream === true));
  const short = { connectMs: 1000, firstTokenMs: 1000, idleMs: 1000, totalMs: 3000 };
  h = await startHarness(
    {
      providers: [
        {
          id: 'up',
          kind: 'openai-compatible',
          baseUrl: up.url,
          keys: [{ env: 'UP_KEY' }],
          models: [...HEALTHY, ...FAULTY].map((id) => ({ id })),
        },
      ],
      // One route per model, so each is addressed by name; the faulty ones get short timeouts.
      routes: [
        ...HEALTHY.map((m) => ({ name: m, targets: [{ provider: 'up', model: m }] })),
        ...FAULTY.map((m) => ({ name: m, targets: [{ provider: 'up', model: m }], timeouts: short })),
      ],
    },
    { UP_KEY: 'k' },
    'load-client',
  );
});

afterAll(async () => {
  await h?.close();
  await up?.close();
});

function jsonReply(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { choices?: Array<{ message?: { content?: string } }> }).choices?.[0]?.message?.content;
  } catch {
    return undefined;
  }
}

async function oneRequest(pool: Pool, model: Model, stream: boolean, n: number): Promise<Outcome> {
  const signal = AbortSignal.timeout(HUNG_MS);
  const started = performance.now();
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: `load request ${n}` }], stream, max_tokens: 16 });
  let requestId: string | undefined;
  try {
    const res = await pool.request({
      path: '/v1/chat/completions',
      method: 'POST',
      headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
      body,
      signal,
    });
    const id = res.headers['x-request-id'];
    requestId = typeof id === 'string' ? id : undefined;
    const text = await res.body.text();
    let result = String(res.statusCode);
    if (res.statusCode === 200) {
      // A stream is a success only when it ended with its terminal event and carried no error event.
      const complete = stream ? text.includes('data: [DONE]') && !/^data: \{"error"/m.test(text) : jsonReply(text) === REPLY;
      result = complete ? 'ok' : 'incomplete 200';
    }
    return { model, stream, result, requestId, ms: performance.now() - started };
  } catch (error) {
    const result = signal.aborted ? 'hung' : `client error ${(error as { code?: string }).code ?? (error as Error).name}`;
    return { model, stream, result, requestId, ms: performance.now() - started };
  }
}

/** CLIENTS loops, each sending until the deadline or its count is reached, one request at a time. */
async function drive(pool: Pool, random: () => number, untilMs: number, perClient: number, tally: Tally): Promise<void> {
  let n = 0;
  const client = async () => {
    for (let i = 0; i < perClient && performance.now() < untilMs; i++) {
      const model = pickModel(random);
      tally.add(await oneRequest(pool, model, random() < 0.5, ++n));
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
}

describe('200 clients with 10% faults', () => {
  it(
    'nothing hangs, healthy models of a rate-limited key keep answering, one ledger row per request, memory comes back',
    async () => {
      const random = mulberry32(20_240_611);
      const pool = new Pool(h.baseUrl, { connections: CLIENTS, pipelining: 1, keepAliveTimeout: 30_000 });
      const tally = new Tally();
      try {
        // Warm-up (JIT, pools, SQLite pages) before the memory baseline.
        await drive(pool, random, performance.now() + 15_000, WARMUP_PER_CLIENT, tally);
        await sleep(500);
        gcNow();
        const rssStart = process.memoryUsage().rss;
        const memoryStart = memoryLine();

        const loadStarted = performance.now();
        await drive(pool, random, loadStarted + LOAD_MS, MAX_PER_CLIENT, tally);
        const loadMs = performance.now() - loadStarted;
        await pool.close();
        const memoryAtEnd = memoryLine();

        // Memory first, before this test reads the ledger: the load is over and the client pool is
        // closed; the engine gets SETTLE_MS to let go (with a full GC every 2 s).
        const settleUntil = performance.now() + SETTLE_MS;
        while (performance.now() < settleUntil) {
          await sleep(Math.min(2000, Math.max(0, settleUntil - performance.now())));
          gcNow();
        }
        const rssEnd = process.memoryUsage().rss;
        console.log(
          `memory: after warm-up ${memoryStart}; when the load ended ${memoryAtEnd}; ${SETTLE_MS / 1000} s later ${memoryLine()} (rss ${((rssEnd / rssStart - 1) * 100).toFixed(1)}% vs after warm-up)`,
        );

        const healthySent = tally.count(HEALTHY);
        const healthyOk = tally.count(HEALTHY, 'ok');
        console.log(
          `load: ${tally.sent} requests (${Math.round(loadMs)} ms of load after ${CLIENTS * WARMUP_PER_CLIENT} warm-up requests), slowest ${Math.round(tally.slowestMs)} ms; healthy models ${healthyOk}/${healthySent} ok; by model ${JSON.stringify(tally.byModel)}`,
        );

        // One row per request (cancelled ones too): the engine may still be finishing hung ones.
        let ids = await ledgerIds();
        for (let i = 0; i < 50 && ids.length < tally.sent; i++) {
          await sleep(100);
          ids = await ledgerIds();
        }
        const rowIds = new Set(ids);
        const headerIds = new Set(tally.requestIds);
        const withoutRow = tally.requestIds.filter((id) => !rowIds.has(id));
        console.log(
          `ledger: ${ids.length} rows for ${tally.sent} requests, ${rowIds.size} distinct ids; ${tally.missingId} answers without x-request-id; ${headerIds.size} distinct x-request-ids; ${withoutRow.length} with no row`,
        );

        // The faults were really there (else the rest proves little).
        expect(tally.count(['limited'], '429'), 'the rate-limited model answered 429').toBeGreaterThan(0);
        expect(tally.count(['broken']) - tally.count(['broken'], 'ok'), 'the broken model failed').toBeGreaterThan(0);

        expect(tally.hung, 'hung requests').toEqual([]);
        const failures = Object.fromEntries(
          HEALTHY.map((m) => [m, Object.fromEntries(Object.entries(tally.byModel[m] ?? {}).filter(([r]) => r !== 'ok'))]),
        );
        expect(healthyOk / healthySent, `healthy-model success (failures by model: ${JSON.stringify(failures)})`).toBeGreaterThanOrEqual(
          0.99,
        );
        expect(tally.missingId, 'answers without an x-request-id').toBe(0);
        expect(headerIds.size, 'distinct x-request-ids').toBe(tally.requestIds.length);
        expect(ids.length, 'ledger rows for the requests sent').toBe(tally.sent);
        expect(rowIds.size, 'distinct ledger row ids').toBe(ids.length);
        expect(withoutRow.slice(0, 5), 'x-request-ids with no ledger row').toEqual([]);
        expect(rssEnd, `RSS ${SETTLE_MS / 1000} s after the load vs after warm-up`).toBeLessThanOrEqual(rssStart * 1.2);
      } finally {
        if (!pool.closed) await pool.destroy();
      }
    },
    LOAD_MS + SETTLE_MS + 70_000,
  );
});
