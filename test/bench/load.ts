// A bounded in-process load generator over undici pools: keeps `concurrency` requests in flight for a
// fixed time (or count), recording each request's latency and, for streams, time to first body byte.
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
