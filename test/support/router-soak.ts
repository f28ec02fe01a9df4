// The router soak, shared by the bounded test (npm test) and the longer bench: N concurrent streaming
// clients, R requests each, across three fake targets of one weighted route, two of them with ~10%
// injected faults and one broken outright. Returns what every client saw and what the ledger holds.
import OpenAI from 'openai';
import { startOpenAIFake, type FakeFault, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from './engine-harness';
import { eventually, ledgerRows, type LedgerRow } from './router-fixtures';

export interface SoakOptions {
  clients: number;
  rounds: number;
  /** Share of requests to the healthy-but-flaky targets that get a fault. */
  faultRate: number;
  timeouts: { firstTokenMs: number; idleMs: number; totalMs: number };
  openMs: number;
  seed?: number;
}

export interface SoakResult {
  requests: number;
  ok: number;
  cleanErrors: number;
  /** Clients still waiting past the total timeout (plus slack): must be 0. */
  hangs: number;
  /** Streams that ended cleanly with a wrong or partial text: must be 0. */
  silentTruncations: number;
  rows: number;
  uniqueRowIds: number;
  /** Share of requests that tried the broken target, in the first round and in later rounds. */
  brokenShareFirstRound: number;
  brokenShareLater: number;
  latenciesMs: number[];
  durationMs: number;
  /** Upstream requests still running after all clients finished, and connections left after close. */
  leftInFlight: number;
  leftOpen: number;
  /** Failed rows by how their last attempt ended (`timeout`, `network mid-stream`, ...). */
  errorKinds: Record<string, number>;
}

const REPLIES = { alpha: 'Alpha streams a complete answer in eight chunks.', beta: 'Beta streams its own complete answer.' };

/** Small deterministic PRNG so a soak run's faults are reproducible from its seed. */
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

function faultPicker(rate: number, random: () => number, idleMs: number): (n: number) => FakeFault | null {
  const faults: FakeFault[] = [
    { status: 500 },
    { status: 503 },
    { status: 429, retryAfterMs: '200' },
    { resetBeforeHeaders: true },
    { afterChunks: 2 },
    { malformed: true },
    { stallAfterChunks: 1 },
    { firstTokenDelayMs: idleMs * 3 },
  ];
  return () => (random() < rate ? faults[Math.floor(random() * faults.length)]! : null);
}

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const random = mulberry32(o.seed ?? 7);
  const fakes: Record<string, OpenAIFake> = {
    alpha: await startOpenAIFake({ reply: REPLIES.alpha, chunks: 8, apiKey: 'ka', models: ['m'] }),
    beta: await startOpenAIFake({ reply: REPLIES.beta, chunks: 6, apiKey: 'kb', models: ['m'] }),
    broken: await startOpenAIFake({ reply: 'never', chunks: 2, apiKey: 'kc', models: ['m'] }),
  };
  fakes.alpha!.faultBy(faultPicker(o.faultRate, random, o.timeouts.idleMs));
  fakes.beta!.faultBy(faultPicker(o.faultRate, random, o.timeouts.idleMs));
  fakes.broken!.faultBy(() => (random() < 0.5 ? { status: 500 } : { resetBeforeHeaders: true }));
  let h: Harness | undefined;
  try {
    h = await startHarness(
      {
        providers: Object.entries(fakes).map(([id, f], i) => ({
          id,
          kind: 'openai-compatible',
          baseUrl: f.url,
          keys: [{ env: `K${i}` }],
          models: [{ id: 'm', price: { input: 1, output: 2 } }],
        })),
        routes: [
          {
            name: 'soak',
            strategy: 'weighted',
            timeouts: o.timeouts,
            targets: Object.keys(fakes).map((provider) => ({ provider, model: 'm' })),
          },
        ],
        health: { failureThreshold: 3, windowMs: 10_000, openMs: o.openMs },
      },
      { K0: 'ka', K1: 'kb', K2: 'kc' },
      'soak',
    );
    const client = new OpenAI({ baseURL: `${h.baseUrl}/v1`, apiKey: h.token, maxRetries: 0 });
    const outcome = { ok: 0, cleanErrors: 0, hangs: 0, silentTruncations: 0 };
    const latencies: number[] = [];
    const started = performance.now();
    let seq = 0;

    const one = async (): Promise<void> => {
      // Past the route's total timeout plus slack, a client counts as hung and gives up.
      const signal = AbortSignal.timeout(o.timeouts.totalMs + 3000);
      const t0 = performance.now();
      let text = '';
      try {
        const stream = await client.chat.completions.create(
          { model: 'soak', messages: [{ role: 'user', content: `soak request ${++seq}` }], stream: true },
          { signal },
        );
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
        if (signal.aborted) outcome.hangs++;
        else if (text === REPLIES.alpha || text === REPLIES.beta) outcome.ok++;
        else outcome.silentTruncations++;
      } catch {
        if (signal.aborted) outcome.hangs++;
        else outcome.cleanErrors++;
      }
      latencies.push(performance.now() - t0);
    };

    for (let round = 0; round < o.rounds; round++) await Promise.all(Array.from({ length: o.clients }, one));
    const durationMs = performance.now() - started;
    await eventually(() => Object.values(fakes).every((f) => f.inFlight() === 0), 3000);
    const leftInFlight = Object.values(fakes).reduce((n, f) => n + f.inFlight(), 0);
    const rows: LedgerRow[] = (await ledgerRows(h)).filter((r) => r.client === 'soak');
    // Rows are in arrival order; the first round is the first `clients` rows.
    const touchedBroken = (r: LedgerRow) => r.attempts.some((a) => a.provider === 'broken');
    const first = rows.slice(0, o.clients);
    const later = rows.slice(o.clients);
    await h.close();
    h = undefined;
    await eventually(() => Object.values(fakes).every((f) => f.openConnections() === 0), 3000);
    return {
      requests: o.clients * o.rounds,
      ...outcome,
      rows: rows.length,
      uniqueRowIds: new Set(rows.map((r) => r.id)).size,
      brokenShareFirstRound: first.filter(touchedBroken).length / Math.max(1, first.length),
      brokenShareLater: later.filter(touchedBroken).length / Math.max(1, later.length),
      latenciesMs: latencies,
      durationMs,
      leftInFlight,
      leftOpen: Object.values(fakes).reduce((n, f) => n + f.openConnections(), 0),
      errorKinds: rows
        .filter((r) => r.status !== 'ok')
        .reduce<Record<string, number>>((acc, r) => {
          const last = r.attempts.at(-1);
          const kind = last ? `${last.errorClass ?? 'none'}${last.midStream ? ' mid-stream' : ''}` : 'no attempt';
          acc[kind] = (acc[kind] ?? 0) + 1;
          return acc;
        }, {}),
    };
  } finally {
    await h?.close();
    await Promise.all(Object.values(fakes).map((f) => f.close()));
  }
}
