// Ledger against a real SQLite file in a temp dir: round trip, spend grouping, since, batching, migrations.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import { FEED_MIN, openLedger } from './ledger';
import { SCHEMA_VERSION } from './schema';
import { parseSince } from './since';
import type { Ledger, RequestRecord } from './types';

const DAY = 86_400_000;
const dirs: string[] = [];
const ledgers: Ledger[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-ledger-'));
  dirs.push(dir);
  return dir;
}

function open(dir = tempDir(), options?: Parameters<typeof openLedger>[1]): Ledger {
  const ledger = openLedger(dir, options);
  ledgers.push(ledger);
  return ledger;
}

afterEach(async () => {
  for (const ledger of ledgers.splice(0)) await ledger.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

let seq = 0;
function row(overrides: Partial<RequestRecord> = {}): RequestRecord {
  seq += 1;
  return {
    id: `req-${seq}`,
    startedAt: Date.now(),
    source: 'port',
    client: 'cursor',
    route: 'fast',
    provider: 'openai',
    model: 'gpt-4o-mini',
    status: 'ok',
    httpStatus: 200,
    attempts: [{ provider: 'openai', model: 'gpt-4o-mini', keyLabel: 'default', status: 200, durationMs: 120 }],
    inputTokens: 10,
    outputTokens: 5,
    costUsd: 0.001,
    ttftMs: 80,
    durationMs: 150,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    ...overrides,
  };
}

/** Counts rows through a second connection, so we see only what actually reached the file. */
function rowsOnDisk(dir: string): number {
  const db = new Database(path.join(dir, 'ledger.db'));
  try {
    return Number((db.prepare('SELECT COUNT(*) AS n FROM requests').get() as { n: number }).n);
  } finally {
    db.close();
  }
}

describe('ledger', () => {
  it('round-trips every field, including a null cost and an error message', async () => {
    const dir = tempDir();
    const ledger = open(dir);
    const ok = row({ startedAt: 1_000 });
    const failed = row({
      startedAt: 2_000,
      client: null,
      route: null,
      provider: null,
      model: null,
      status: 'error',
      httpStatus: 502,
      errorMessage: 'all targets failed',
      attempts: [
        { provider: 'openai', model: 'gpt-4o-mini', status: null, errorClass: 'connect', durationMs: 5 },
        { provider: 'groq', model: 'llama', keyLabel: 'work', status: 503, errorClass: 'upstream-5xx', durationMs: 40 },
      ],
      inputTokens: 0,
      outputTokens: 0,
      costUsd: null,
      ttftMs: null,
    });
    ledger.record(ok);
    ledger.record(failed);
    await ledger.close();

    const reopened = open(dir);
    const recent = await reopened.recent(10);
    expect(recent).toEqual([failed, ok]); // newest first
    expect(recent[0]!.costUsd).toBeNull();
    expect(recent[1]).not.toHaveProperty('errorMessage');
    expect(await reopened.recent(1)).toHaveLength(1);
  });

  it('totals and groups spend by day, model, provider and client', async () => {
    const ledger = open();
    const day1 = Date.UTC(2025, 0, 31, 23, 59);
    const day2 = Date.UTC(2025, 1, 1, 0, 1);
    ledger.record(
      row({ startedAt: day1, client: 'cursor', provider: 'openai', model: 'gpt-4o', inputTokens: 100, outputTokens: 10, costUsd: 0.5 }),
    );
    ledger.record(
      row({ startedAt: day2, client: null, provider: 'openai', model: 'gpt-4o', inputTokens: 50, outputTokens: 5, costUsd: 0.25 }),
    );
    ledger.record(
      row({ startedAt: day2, client: 'aider', provider: 'groq', model: 'llama', inputTokens: 7, outputTokens: 3, costUsd: null }),
    );
    ledger.record(
      row({
        startedAt: day2,
        client: 'aider',
        provider: null,
        model: null,
        status: 'error',
        inputTokens: 0,
        outputTokens: 0,
        costUsd: null,
      }),
    );

    const all = await ledger.spend({});
    // Two unknown costs: the total is unknown (null), never $0.75 as if they were free; the known part is beside it.
    expect(all).toEqual({
      requests: 4,
      inputTokens: 157,
      outputTokens: 18,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      costUsd: null,
      knownCostUsd: 0.75,
      unknownCostRequests: 2,
      groups: [],
    });

    // [key, requests, input, output, cost (null when any part is unknown), known part, unknown requests]
    const pick = async (by: 'day' | 'model' | 'provider' | 'client') =>
      (await ledger.spend({ by })).groups.map((g) => [
        g.key,
        g.requests,
        g.inputTokens,
        g.outputTokens,
        g.costUsd,
        g.knownCostUsd,
        g.unknownCostRequests,
      ]);
    expect(await pick('day')).toEqual([
      ['2025-01-31', 1, 100, 10, 0.5, 0.5, 0],
      ['2025-02-01', 3, 57, 8, null, 0.25, 2],
    ]);
    expect(await pick('model')).toEqual([
      ['openai/gpt-4o', 2, 150, 15, 0.75, 0.75, 0],
      ['(none)', 1, 0, 0, null, 0, 1],
      ['groq/llama', 1, 7, 3, null, 0, 1],
    ]);
    expect(await pick('provider')).toEqual([
      ['openai', 2, 150, 15, 0.75, 0.75, 0],
      ['(none)', 1, 0, 0, null, 0, 1],
      ['groq', 1, 7, 3, null, 0, 1],
    ]);
    expect(await pick('client')).toEqual([
      ['cursor', 1, 100, 10, 0.5, 0.5, 0],
      ['(none)', 1, 50, 5, 0.25, 0.25, 0],
      ['aider', 2, 7, 3, null, 0, 2],
    ]);
  });

  it('returns zeros, not nulls, when nothing matches', async () => {
    const ledger = open();
    expect(await ledger.spend({ since: '1d', by: 'day' })).toEqual({
      requests: 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      costUsd: 0,
      knownCostUsd: 0,
      unknownCostRequests: 0,
      groups: [],
    });
  });

  it('rounds sums once, to 6 decimals, without float noise', async () => {
    const ledger = open();
    for (let i = 0; i < 10; i++) ledger.record(row({ costUsd: 0.000014 }));
    ledger.record(row({ costUsd: 0.1 }));
    ledger.record(row({ costUsd: 0.2 }));
    expect(await ledger.spend({})).toMatchObject({ costUsd: 0.30014, knownCostUsd: 0.30014 });
  });

  it('filters by since as a duration or an ISO date, and rejects anything else', async () => {
    const ledger = open();
    const now = Date.now();
    ledger.record(row({ startedAt: now - 10 * DAY, costUsd: 1 }));
    ledger.record(row({ startedAt: now - 2 * DAY, costUsd: 2 }));
    ledger.record(row({ startedAt: now - 10 * 60_000, costUsd: 4 }));
    expect((await ledger.spend({ since: '7d' })).costUsd).toBe(6);
    expect((await ledger.spend({ since: '24h' })).costUsd).toBe(4);
    expect((await ledger.spend({ since: '30m' })).requests).toBe(1);
    expect((await ledger.spend({ since: '5m' })).requests).toBe(0);
    const isoDay = new Date(now - 5 * DAY).toISOString().slice(0, 10);
    expect((await ledger.spend({ since: isoDay })).requests).toBe(2);
    expect((await ledger.spend({ since: new Date(now - 3 * DAY).toISOString() })).requests).toBe(2);
    for (const bad of ['7', 'week', '7w', '-1d', '2025-13-45', 'yesterday', '']) {
      await expect(ledger.spend({ since: bad }), bad).rejects.toThrow(/invalid since ".*": use a duration like 7d/);
    }
  });

  it('parses since against a given clock', () => {
    const now = Date.UTC(2025, 5, 15, 12);
    expect(parseSince('7d', now)).toBe(now - 7 * DAY);
    expect(parseSince('24h', now)).toBe(now - DAY);
    expect(parseSince('30m', now)).toBe(now - 30 * 60_000);
    expect(parseSince('2025-06-01', now)).toBe(Date.UTC(2025, 5, 1));
    expect(parseSince('2025-06-01T10:00:00Z', now)).toBe(Date.UTC(2025, 5, 1, 10));
  });

  it('queues rows and writes them in a batch after a short delay', async () => {
    const dir = tempDir();
    const ledger = open(dir, { flushDelayMs: 30 });
    ledger.record(row());
    ledger.record(row());
    ledger.record(row());
    // record() returned without touching the file: the rows wait in the queue.
    expect(rowsOnDisk(dir)).toBe(0);
    await expect.poll(() => rowsOnDisk(dir), { timeout: 2_000, interval: 10 }).toBe(3);
  });

  it('flushes at once when the queue reaches the batch size', async () => {
    const dir = tempDir();
    const ledger = open(dir, { flushDelayMs: 60_000, batchSize: 5 });
    for (let i = 0; i < 4; i++) ledger.record(row());
    await new Promise((r) => setTimeout(r, 100));
    expect(rowsOnDisk(dir)).toBe(0);
    // The fifth row hands the batch to the writer thread at once, without waiting for the timer.
    ledger.record(row());
    await expect.poll(() => rowsOnDisk(dir), { timeout: 2_000, interval: 10 }).toBe(5);
    ledger.record(row());
    await new Promise((r) => setTimeout(r, 100));
    expect(rowsOnDisk(dir)).toBe(5);
  });

  it('sends rows ahead to the writer thread, which writes them with the next batch and not before', async () => {
    const dir = tempDir();
    const ledger = open(dir, { flushDelayMs: 60_000, feedDelayMs: 1 });
    // Text beyond ASCII crosses as UTF-8 bytes (writer.ts feed), a lone surrogate as JSON's escape:
    // fed rows read back as the row the batch itself carries does.
    const client = 'café ☕ \ud800 модель';
    for (let i = 0; i < FEED_MIN; i++) ledger.record(row({ id: `fed-${i}`, client }));
    await new Promise((r) => setTimeout(r, 100));
    expect(rowsOnDisk(dir)).toBe(0);
    ledger.record(row({ id: 'batched', client }));
    await ledger.flush();
    expect(rowsOnDisk(dir)).toBe(FEED_MIN + 1);
    const read = await ledger.recent(FEED_MIN + 1);
    const batched = read.find((r) => r.id === 'batched')!.client;
    expect(batched).toMatch(/^café ☕ .* модель$/);
    expect(read.filter((r) => r.id.startsWith('fed-')).map((r) => r.client)).toEqual(Array.from({ length: FEED_MIN }, () => batched));
  });

  it('commits the rows the writer thread holds before a settled reader reads', async () => {
    const ledger = open(tempDir(), { flushDelayMs: 60_000, feedDelayMs: 1 });
    for (let i = 0; i < FEED_MIN; i++) ledger.record(row());
    await new Promise((r) => setTimeout(r, 100));
    ledger.record(row());
    // Sent ahead, those rows are neither in the database nor queued here: the reader would miss them.
    const seen = await new Promise<{ written: number; unwritten: number }>((resolve) =>
      ledger.whenSettled((view) => resolve({ written: view.spend({}).requests, unwritten: view.unwritten.length })),
    );
    expect(seen).toEqual({ written: FEED_MIN + 1, unwritten: 0 });
  });

  it('counts queued rows in spend and recent without waiting for the timer', async () => {
    const ledger = open(tempDir(), { flushDelayMs: 60_000 });
    ledger.record(row({ costUsd: 0.5 }));
    expect((await ledger.spend({})).costUsd).toBe(0.5);
    ledger.record(row({ id: 'latest', startedAt: Date.now() + 1_000 }));
    expect((await ledger.recent(1))[0]!.id).toBe('latest');
  });

  it('drops a row that can never be written without losing the rest of its batch', async () => {
    const errors: string[] = [];
    const dir = tempDir();
    const ledger = open(dir, { batchSize: 3, onError: (e) => errors.push(e.message) });
    ledger.record(row({ id: 'good-1' }));
    ledger.record(row({ id: 'bad', source: undefined as unknown as 'port' }));
    ledger.record(row({ id: 'good-2' }));
    await ledger.flush();
    expect(rowsOnDisk(dir)).toBe(2);
    expect(errors).toEqual([expect.stringContaining('dropped request row bad')]);
    ledger.record(row({ id: 'good-3' }));
    expect((await ledger.recent(10)).map((r) => r.id).sort()).toEqual(['good-1', 'good-2', 'good-3']);
  });

  it('sets WAL mode and the schema version, and refuses a ledger from a newer version', async () => {
    const dir = tempDir();
    await open(dir).close();
    const db = new Database(path.join(dir, 'ledger.db'));
    expect((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal');
    expect((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version).toBe(SCHEMA_VERSION);
    db.exec('PRAGMA user_version = 99');
    db.close();
    expect(() => openLedger(dir)).toThrow(/schema version 99, newer than this Switchboard understands/);
  });

  it('reports rows recorded after close instead of throwing into the caller', async () => {
    const errors: string[] = [];
    const ledger = openLedger(tempDir(), { onError: (e) => errors.push(e.message) });
    await ledger.close();
    expect(() => ledger.record(row({ id: 'late' }))).not.toThrow();
    expect(errors).toEqual([expect.stringContaining('request late arrived after the ledger was closed')]);
  });
});
