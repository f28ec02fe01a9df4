// The journal of requests in flight and estimated rows, on real SQLite files: an entry per request in
// flight (none for one that ends before the next write), closed by its row; entries of a process that
// is gone become `interrupted` rows; estimated rows are counted by the tokenizer before they are recorded.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import { requestRow } from '../../../test/support/request-rows';
import { countTokens } from '../catalog/tokenizer';
import { INTERRUPTED_MESSAGE } from './journal';
import { openLedger } from './ledger';
import type { Ledger, OpenEntry, OpenRequest, RequestRecord } from './types';

const dirs: string[] = [];
const ledgers: Ledger[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-journal-'));
  dirs.push(dir);
  return dir;
}

function open(dir: string, options?: Parameters<typeof openLedger>[1]): Ledger {
  const ledger = openLedger(dir, { flushDelayMs: 10_000, ...options });
  ledgers.push(ledger);
  return ledger;
}

afterEach(async () => {
  for (const ledger of ledgers.splice(0)) await ledger.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

let seq = 0;
function entry(overrides: Partial<OpenEntry> = {}): OpenEntry {
  seq += 1;
  return {
    id: `open-${seq}`,
    startedAt: Date.now(),
    source: 'port',
    client: 'cursor',
    route: 'fast',
    requestedModel: 'fast',
    provider: 'acme',
    model: 'm1',
    attempts: [{ provider: 'acme', model: 'm1', status: null, durationMs: 0 }],
    inputTokens: 1200,
    costUsd: 0.0012,
    ...overrides,
  };
}
const request = (e: OpenEntry): OpenRequest => ({ id: e.id, openEntry: () => e });

// A finished row of the journal's request (the same route and target as entry()).
const row = (id: string, overrides: Partial<RequestRecord> = {}): RequestRecord =>
  requestRow({ id, route: 'fast', provider: 'acme', model: 'm1', ...overrides });

function query<T>(dir: string, sql: string): T[] {
  const db = new Database(path.join(dir, 'ledger.db'));
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

/** A pid that was just used and is gone (the child has exited). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('journal of requests in flight', () => {
  it('writes an entry for a request still in flight at the flush, and its row closes it', async () => {
    const dir = tempDir();
    const ledger = open(dir);
    const e = entry();
    ledger.open(request(e));
    await ledger.flush();
    expect(query<{ id: string; input_tokens: number }>(dir, 'SELECT id, input_tokens FROM requests_open')).toEqual([
      { id: e.id, input_tokens: 1200 },
    ]);
    ledger.record(row(e.id));
    await ledger.flush();
    expect(query(dir, 'SELECT id FROM requests_open')).toEqual([]);
    expect(query(dir, 'SELECT id, status FROM requests')).toEqual([{ id: e.id, status: 'ok' }]);
  });

  it('never writes an entry for a request that ends before the next flush', async () => {
    const dir = tempDir();
    await open(dir).close();
    // Test instrumentation on the file itself: every entry ever inserted is logged.
    const db = new Database(path.join(dir, 'ledger.db'));
    db.exec(
      'CREATE TABLE seen (id TEXT); CREATE TRIGGER seen_open AFTER INSERT ON requests_open BEGIN INSERT INTO seen VALUES (NEW.id); END;',
    );
    db.close();
    const ledger = open(dir);
    const e = entry();
    ledger.open(request(e));
    ledger.record(row(e.id));
    await ledger.flush();
    expect(query(dir, 'SELECT id FROM seen')).toEqual([]);
    expect(query(dir, 'SELECT id FROM requests')).toEqual([{ id: e.id }]);
  });

  it("turns entries of a process that is gone into interrupted rows, with their estimates, and leaves a live ledger's alone", async () => {
    const dir = tempDir();
    await open(dir).close();
    const crashed = entry({ startedAt: Date.now() - 60_000 });
    // Another live process's entries: a recent one is its request in flight, a day-old one was left by a process whose pid it reuses.
    const elsewhere = entry({ startedAt: Date.now() - 1000 });
    const ancient = entry({ startedAt: Date.now() - 25 * 3600_000 });
    const db = new Database(path.join(dir, 'ledger.db'));
    const insert = db.prepare('INSERT INTO requests_open VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const [e, owner] of [
      [crashed, `${deadPid()}:gone`],
      [elsewhere, `${process.ppid}:live`],
      [ancient, `${process.ppid}:old`],
    ] as const) {
      insert.run(e.id, owner, e.startedAt, 'port', 'cursor', 'fast', 'fast', 'acme', 'm1', JSON.stringify(e.attempts), 1200, 0.0012);
    }
    db.close();
    const live = open(dir);
    const inFlight = entry();
    live.open(request(inFlight));
    await live.flush();

    const other = open(dir); // another process (the CLI) opening the same ledger while a server runs
    const rows = await other.recent(10);
    expect(rows).toEqual([
      expect.objectContaining({
        id: crashed.id,
        status: 'interrupted',
        httpStatus: 0,
        errorMessage: INTERRUPTED_MESSAGE,
        inputTokens: 1200,
        outputTokens: 0,
        costUsd: 0.0012,
        provider: 'acme',
        model: 'm1',
        requestedModel: 'fast',
        route: 'fast',
        usageEstimated: true,
      }),
      expect.objectContaining({ id: ancient.id, status: 'interrupted' }),
    ]);
    expect(
      query<{ id: string }>(dir, 'SELECT id FROM requests_open')
        .map((r) => r.id)
        .sort(),
    ).toEqual([elsewhere.id, inFlight.id].sort());
    expect((await other.spend({ by: 'model' })).groups).toEqual([
      expect.objectContaining({ key: 'acme/m1', requests: 2, inputTokens: 2400, estimatedRequests: 2 }),
    ]);
    expect((await other.requests({})).map((r) => [r.status, r.requestedModel, r.usageEstimated])).toEqual([
      ['interrupted', 'fast', true],
      ['interrupted', 'fast', true],
    ]);
    const csv = [...(await other.csv({}))];
    expect(csv[0]).toMatch(/,requested_model,tokens_estimated$/);
    expect(csv[2]).toMatch(/,interrupted,0,.*,fast,yes$/);
    expect(query(dir, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  });

  it('records its own requests still in flight as interrupted when it closes', async () => {
    const dir = tempDir();
    const ledger = open(dir);
    const e = entry();
    ledger.open(request(e));
    await ledger.close();
    expect(query(dir, "SELECT id, status, usage_estimated FROM requests WHERE status = 'interrupted'")).toEqual([
      { id: e.id, status: 'interrupted', usage_estimated: 1 },
    ]);
    expect(query(dir, 'SELECT id FROM requests_open')).toEqual([]);
  });
});

describe('estimated rows', () => {
  it('counts the texts with the tokenizer off the event loop, then records the row; a flush waits for it', async () => {
    const dir = tempDir();
    const ledger = open(dir);
    const seen: RequestRecord[] = [];
    ledger.onRecord((r) => seen.push({ ...r }));
    const prompt = 'Summarise the following paragraph about token estimates, please.';
    const answer = 'Estimates count tokens with the tokenizer, not chunks. '.repeat(50);
    const r = row('est-1', { status: 'cancelled', httpStatus: 499, inputTokens: 1, outputTokens: 1, usageEstimated: true });
    ledger.record(r, {
      groups: [
        { texts: [prompt], extraChars: 0, fixedTokens: 4 },
        { texts: [answer], extraChars: 0 },
      ],
      apply: ([input, output]) => {
        r.inputTokens = input!;
        r.outputTokens = output!;
      },
    });
    expect(seen).toEqual([]); // not before it is counted
    const spend = await ledger.spend({});
    expect(spend).toMatchObject({
      requests: 1,
      inputTokens: countTokens(prompt) + 4,
      outputTokens: countTokens(answer),
      estimatedRequests: 1,
    });
    expect(seen).toEqual([expect.objectContaining({ id: 'est-1', outputTokens: countTokens(answer), usageEstimated: true })]);
  });

  it('counts a huge text without whitespace in short pieces, scaling beyond what it counts exactly', async () => {
    const ledger = open(tempDir());
    const r = row('est-huge', { usageEstimated: true });
    ledger.record(r, {
      groups: [
        { texts: [], extraChars: 0 },
        { texts: ['h'.repeat(1_000_000)], extraChars: 9_000_000 },
      ],
      apply: ([, output]) => (r.outputTokens = output!),
    });
    await ledger.flush();
    // A single 1 MB BPE word would take minutes: the first 256 KiB are counted in 128-character pieces, the rest scaled.
    const exact = ((256 * 1024) / 128) * countTokens('h'.repeat(128));
    expect((await ledger.recent(1))[0]!.outputTokens).toBe(Math.round((exact * 10_000_000) / (256 * 1024)));
  }, 30_000);
});
