// Bounded in-process load generators over undici pools: closed loop (`concurrency` requests in flight) and
// open loop (a fixed send rate whatever the answers, latency counted from each request's due time).
import { Pool } from 'undici';

export interface LoadSpec {
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  concurrency: number;
  durationMs: number;
  maxRequests: number;
  warmup: number;
  /** Time to first token: when a body chunk first contains this text (else the first byte). */
  ttftMarker?: string;
}

export interface LoadResult {
  latencies: Float64Array;
  ttfts: Float64Array;
  count: number;
  errors: number;
  elapsedMs: number;
  rps: number;
}

export function percentile(values: Float64Array, p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const pool = new Pool(spec.origin, { connections: spec.concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  const latencies = new Float64Array(spec.maxRequests);
  const ttfts = new Float64Array(spec.maxRequests);
  let count = 0;
  let errors = 0;
  let issued = 0;
  let measuring = false;
  let deadline = 0;
  const marker = spec.ttftMarker === undefined ? undefined : Buffer.from(spec.ttftMarker);

  const one = async (): Promise<void> => {
    const t0 = performance.now();
    let first = 0;
    try {
      const res = await pool.request({ path: spec.path, method: 'POST', headers: spec.headers, body: spec.body });
      for await (const chunk of res.body) {
        if (first === 0 && (marker === undefined ? (chunk as Buffer).length > 0 : (chunk as Buffer).includes(marker)))
          first = performance.now();
      }
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
    } catch {
      if (measuring) errors++;
      return;
    }
    if (measuring && count < spec.maxRequests) {
      latencies[count] = performance.now() - t0;
      ttfts[count] = first - t0;
      count++;
    }
  };

  const worker = async (budget: () => boolean) => {
    while (budget()) {
      issued++;
      await one();
    }
  };

  // Warm up (connections, JIT), then measure with a fresh clock.
  let warm = 0;
  await Promise.all(Array.from({ length: spec.concurrency }, () => worker(() => warm++ < spec.warmup)));
  measuring = true;
  issued = 0;
  const started = performance.now();
  deadline = started + spec.durationMs;
  await Promise.all(
    Array.from({ length: spec.concurrency }, () => worker(() => issued < spec.maxRequests && performance.now() < deadline)),
  );
  const elapsedMs = performance.now() - started;
  await pool.close();
  return {
    latencies: latencies.subarray(0, count),
    ttfts: ttfts.subarray(0, count),
    count,
    errors,
    elapsedMs,
    rps: (count / elapsedMs) * 1000,
  };
}

export interface OpenLoopSpec {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Requests per second, sent on schedule whatever the answers. */
  rate: number;
  durationMs: number;
  /** In-flight bound: a request due while this many are outstanding is dropped (and counted), not queued. */
  maxInFlight: number;
}

export interface OpenLoopResult {
  /** Each answered request's latency from its scheduled send time (so a stall delays every later request's clock too). */
  latencies: Float64Array;
  count: number;
  errors: number;
  drops: number;
  /** Requests still unanswered when the cell's deadline passed (counted in errors too). */
  timedOut: number;
}

/**
 * Open loop: request i is due at t0 + i/rate and is sent then (or as soon after as the timer or an answer
 * lets this process run), whatever the earlier answers; its latency counts from when it was due. `pool`
 * is the caller's, so its connections are opened (and warm) before the measured run.
 */
export function runOpenLoop(pool: Pool, spec: OpenLoopSpec): Promise<OpenLoopResult> {
  const interval = 1000 / spec.rate;
  const total = Math.max(1, Math.round((spec.rate * spec.durationMs) / 1000));
  const latencies = new Float64Array(total);
  let count = 0;
  let errors = 0;
  let drops = 0;
  let inFlight = 0;
  let next = 0;
  let done = false;
  let timer: NodeJS.Timeout | undefined;
  // A short lead, so the first requests are not already late when the loop starts.
  const t0 = performance.now() + 2;
  return new Promise<OpenLoopResult>((resolve) => {
    const end = (timedOut: number) => {
      done = true;
      clearTimeout(timer);
      clearTimeout(deadline);
      resolve({ latencies: latencies.subarray(0, count), count, errors: errors + timedOut, drops, timedOut });
    };
    // Bounded: answers later than this are not waited for.
    const deadline = setTimeout(() => end(inFlight), spec.durationMs + 10_000);
    const send = (due: number) => {
      inFlight++;
      pool
        .request({ path: spec.path, method: 'POST', headers: spec.headers, body: spec.body })
        .then(async (res) => {
          for await (const _ of res.body) {
            /* read to the end */
          }
          if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
          if (!done) latencies[count++] = performance.now() - due;
        })
        .catch(() => {
          if (!done) errors++;
        })
        .finally(() => {
          inFlight--;
          if (!done) pump();
        });
    };
    const pump = () => {
      const now = performance.now();
      while (next < total && t0 + next * interval <= now) {
        const due = t0 + next * interval;
        next++;
        if (inFlight >= spec.maxInFlight) drops++;
        else send(due);
      }
      if (next >= total) {
        if (inFlight === 0) end(0);
        return;
      }
      if (timer === undefined) {
        timer = setTimeout(
          () => {
            timer = undefined;
            pump();
          },
          Math.max(0, t0 + next * interval - performance.now()),
        );
      }
    };
    pump();
  });
}
