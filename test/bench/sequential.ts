// Concurrency 1, interleaved: one request at a time to each target in turn, so drift and noise on a shared
// machine fall on every target alike; with an undici or a node:http keep-alive client, as tools differ.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Client } from 'undici';

export interface SequentialTarget {
  name: string;
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Take part in every n-th round only (default 1): for a slow target, so it does not set the run's length. */
  every?: number;
}

export type ClientKind = 'undici' | 'node:http';

export interface SequentialResult {
  latencies: Float64Array;
  /** Time to the first body chunk holding the marker (streams), else NaN. */
  ttfts: Float64Array;
  errors: number;
}

/** Sends one request and reads its answer to the end: resolves with [latency, ttft] in ms. */
type Send = (marker: Buffer | undefined) => Promise<[number, number]>;

function undiciSender(t: SequentialTarget): { send: Send; close(): Promise<void> } {
  const client = new Client(t.origin, { pipelining: 1, keepAliveTimeout: 30_000 });
  return {
    async send(marker) {
      const t0 = performance.now();
      let first = NaN;
      const res = await client.request({ path: t.path, method: 'POST', headers: t.headers, body: t.body });
      for await (const chunk of res.body)
        if (marker && Number.isNaN(first) && (chunk as Buffer).includes(marker)) first = performance.now();
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
      return [performance.now() - t0, first - t0];
    },
    close: () => client.close(),
  };
}

function httpSender(t: SequentialTarget): { send: Send; close(): Promise<void> } {
  const agent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(t.origin);
  const body = Buffer.from(t.body);
  const headers = { ...t.headers, 'content-length': String(body.length) };
  return {
    send: (marker) =>
      new Promise((resolve, reject) => {
        const t0 = performance.now();
        let first = NaN;
        const req = httpRequest({ agent, host: url.hostname, port: url.port, path: t.path, method: 'POST', headers }, (res) => {
          res.on('data', (chunk: Buffer) => {
            if (marker && Number.isNaN(first) && chunk.includes(marker)) first = performance.now();
          });
          res.on('end', () =>
            res.statusCode === 200 ? resolve([performance.now() - t0, first - t0]) : reject(new Error(`status ${res.statusCode}`)),
          );
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      }),
    close: async () => agent.destroy(),
  };
}

/**
 * `warmup` rounds (discarded), then `measured` rounds; a round is one request to each target (that takes
 * part in it), in order. A request that fails is counted and not timed.
 */
export async function runInterleaved(
  kind: ClientKind,
  targets: SequentialTarget[],
  opts: { warmup: number; measured: number; marker?: string },
): Promise<Map<string, SequentialResult>> {
  const senders = targets.map((t) => (kind === 'undici' ? undiciSender(t) : httpSender(t)));
  const marker = opts.marker === undefined ? undefined : Buffer.from(opts.marker);
  const results = targets.map(() => ({
    latencies: new Float64Array(opts.measured),
    ttfts: new Float64Array(opts.measured),
    errors: 0,
    n: 0,
  }));
  const every = targets.map((t) => Math.max(1, Math.floor(t.every ?? 1)));
  try {
    for (let round = 0; round < opts.warmup + opts.measured; round++) {
      const measuring = round >= opts.warmup;
      for (let i = 0; i < senders.length; i++) {
        if (round % every[i]! !== 0) continue;
        const r = results[i]!;
        try {
          const [ms, ttft] = await senders[i]!.send(marker);
          if (measuring) {
            r.latencies[r.n] = ms;
            r.ttfts[r.n] = ttft;
            r.n++;
          }
        } catch {
          if (measuring) r.errors++;
        }
      }
    }
  } finally {
    await Promise.all(senders.map((s) => s.close()));
  }
  return new Map(
    targets.map((t, i) => {
      const r = results[i]!;
      return [t.name, { latencies: r.latencies.subarray(0, r.n), ttfts: r.ttfts.subarray(0, r.n), errors: r.errors }];
    }),
  );
}
