// Hourly spend series (the spend chart's bucket for short ranges): one point per UTC hour from single
// rows, split by a grouping like the daily one, and refused for unbounded or overlong ranges.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger } from './ledger';
import type { Ledger, RequestRecord } from './types';

const HOUR = 3_600_000;
const dirs: string[] = [];
const ledgers: Ledger[] = [];
afterEach(async () => {
  for (const l of ledgers.splice(0)) await l.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

let seq = 0;
const row = (o: Partial<RequestRecord>): RequestRecord => ({
  id: `h${++seq}`,
  startedAt: 0,
  source: 'port',
  client: 'a',
  route: 'r',
  provider: 'p',
  model: 'm',
  status: 'ok',
  httpStatus: 200,
  attempts: [],
  inputTokens: 10,
  outputTokens: 2,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  costUsd: 0.5,
  ttftMs: 1,
  durationMs: 2,
  ...o,
});

describe('hourly spend series', () => {
  it('gives one point per UTC hour and grouping key within the range', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-hourly-'));
    dirs.push(dir);
    const ledger = openLedger(dir);
    ledgers.push(ledger);
    const now = Date.now();
    const h0 = Math.floor(now / HOUR) * HOUR;
    ledger.record(row({ startedAt: h0 - 2 * HOUR + 60_000, model: 'a', costUsd: 1 }));
    ledger.record(row({ startedAt: h0 - 2 * HOUR + 120_000, model: 'a', costUsd: 2 }));
    ledger.record(row({ startedAt: h0 + 1_000, model: 'b', costUsd: null }));
    ledger.record(row({ startedAt: h0 - 30 * HOUR, model: 'a', costUsd: 5 })); // outside the 24h range
    const hourKey = (ms: number) => new Date(ms).toISOString().slice(0, 13);
    const series = await ledger.series({ since: '24h', by: 'model', bucket: 'hour' });
    expect(series.points.map((p) => [p.day, p.key, p.requests, p.knownCostUsd, p.unknownCostRequests])).toEqual([
      [hourKey(h0 - 2 * HOUR), 'p/a', 2, 3, 0],
      [hourKey(h0), 'p/b', 1, 0, 1],
    ]);
    // Without a bucket the series stays daily.
    expect((await ledger.series({ since: '24h' })).points.every((p) => /^\d{4}-\d\d-\d\d$/.test(p.day))).toBe(true);
    await expect(ledger.series({ bucket: 'hour' })).rejects.toThrow(/at most 31 days/);
    await expect(ledger.series({ since: '90d', bucket: 'hour' })).rejects.toThrow(/at most 31 days/);
    await expect(ledger.series({ since: '1d', bucket: 'week' as 'hour' })).rejects.toThrow(/invalid spend bucket/);
  });
});
