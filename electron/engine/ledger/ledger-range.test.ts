// Spend over arbitrary ranges (rollup for whole days + raw rows at the edges) checked against a
// brute-force sum, series, CSV export, the v1 -> v2 migration, and conversations.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import type { SpendQuery } from '../../../shared/types';
import { openLedger } from './ledger';
import type { Ledger, RequestRecord } from './types';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const dirs: string[] = [];
const ledgers: Ledger[] = [];
afterEach(async () => {
  for (const l of ledgers.splice(0)) await l.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function open(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-range-'))): Ledger {
  dirs.push(dir);
  const l = openLedger(dir);
  ledgers.push(l);
  return l;
}

let seq = 0;
const row = (o: Partial<RequestRecord>): RequestRecord => ({
  id: `x${++seq}`,
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
  cacheReadTokens: 3,
  cacheWriteTokens: 1,
  reasoningTokens: 1,
  costUsd: 0.5,
  ttftMs: 1,
  durationMs: 2,
  ...o,
});

describe('spend over ranges', () => {
  it('matches a brute-force sum for ranges that cut days at both ends, by every grouping', async () => {
    const ledger = open();
    const base = Date.UTC(2025, 0, 20);
    const rows: RequestRecord[] = [];
    // 75 days over three month boundaries, a row every 7 hours, varied keys and some unknown costs.
    for (let t = base, i = 0; t < base + 75 * DAY; t += 7 * HOUR, i++) {
      rows.push(
        row({
          startedAt: t,
          client: i % 3 ? `c${i % 3}` : null,
          route: i % 2 ? 'fast' : null,
          model: `m${i % 4}`,
          source: i % 5 ? 'port' : 'chat',
          costUsd: i % 7 ? i / 100 : null,
          inputTokens: i,
        }),
      );
    }
    for (const r of rows) ledger.record(r);
    const now = base + 80 * DAY;
    const iso = (ms: number) => new Date(ms).toISOString();
    const cases: Array<[number, number]> = [
      [base + 3 * HOUR, base + 7 * DAY + 7 * HOUR],
      [base + DAY, base + 4 * DAY],
      [base + 2 * HOUR, base + 20 * HOUR],
      [base - DAY, now],
      [base + 5 * HOUR, base + 61 * DAY + 9 * HOUR], // months in the middle, days and partial days at both ends
      [Date.UTC(2025, 1, 1), Date.UTC(2025, 2, 1)], // exactly one month
    ];
    expect((await ledger.spend({})).requests).toBe(rows.length);
    expect((await ledger.spend({ by: 'model' })).groups.reduce((n, g) => n + g.requests, 0)).toBe(rows.length);
    for (const [from, to] of cases) {
      const inRange = rows.filter((r) => r.startedAt >= from && r.startedAt < to);
      const q: SpendQuery = { since: iso(from), until: iso(to) };
      const total = await ledger.spend(q);
      expect(total.requests).toBe(inRange.length);
      expect(total.inputTokens).toBe(inRange.reduce((s, r) => s + r.inputTokens, 0));
      expect(total.knownCostUsd).toBeCloseTo(
        inRange.reduce((s, r) => s + (r.costUsd ?? 0), 0),
        9,
      );
      expect(total.unknownCostRequests).toBe(inRange.filter((r) => r.costUsd === null).length);
      expect(total.costUsd).toBe(total.unknownCostRequests > 0 ? null : total.knownCostUsd);
      const byClient = Object.fromEntries((await ledger.spend({ ...q, by: 'client' })).groups.map((g) => [g.key, g.requests]));
      const expected: Record<string, number> = {};
      // A chat row without a client is the app's (the app's own requests are the client `app`).
      const clientOf = (r: RequestRecord) => r.client ?? (r.source === 'port' ? '(none)' : 'app');
      for (const r of inRange) expected[clientOf(r)] = (expected[clientOf(r)] ?? 0) + 1;
      expect(byClient).toEqual(expected);
      const byRoute = (await ledger.spend({ ...q, by: 'route' })).groups;
      expect(byRoute.reduce((s, g) => s + g.requests, 0)).toBe(inRange.length);
      expect((await ledger.spend({ ...q, source: 'chat' })).requests).toBe(inRange.filter((r) => r.source === 'chat').length);
      expect((await ledger.spend({ ...q, client: 'c1' })).requests).toBe(inRange.filter((r) => r.client === 'c1').length);
    }
  });

  it('gives day series split by a grouping, and CSV lines per request', async () => {
    const ledger = open();
    const d1 = Date.UTC(2025, 0, 1, 10);
    ledger.record(row({ startedAt: d1, model: 'a', costUsd: 1 }));
    ledger.record(row({ startedAt: d1 + HOUR, model: 'b', costUsd: null, client: 'has,comma' }));
    ledger.record(row({ startedAt: d1 + DAY, model: 'a', costUsd: 2 }));
    const series = await ledger.series({ by: 'model' });
    expect(series.by).toBe('model');
    expect(series.points.map((p) => [p.day, p.key, p.requests, p.costUsd, p.knownCostUsd, p.unknownCostRequests])).toEqual([
      ['2025-01-01', 'p/a', 1, 1, 1, 0],
      ['2025-01-01', 'p/b', 1, null, 0, 1],
      ['2025-01-02', 'p/a', 1, 2, 2, 0],
    ]);
    expect((await ledger.series({})).points.map((p) => [p.day, p.requests])).toEqual([
      ['2025-01-01', 2],
      ['2025-01-02', 1],
    ]);
    const csv = [...(await ledger.csv({ until: '2025-01-02' }))];
    expect(csv).toHaveLength(3);
    expect(csv[0]).toMatch(/^id,started_at,source,client,route,provider,model,status/);
    expect(csv[2]).toContain('"has,comma"');
    expect(csv[2]).toMatch(/,,no,/); // unknown cost: empty cost cell, cost_known = no
  });
});

const iso = (ms: number) => new Date(ms).toISOString();

describe('the app as a client', () => {
  it('reads chat and compare rows recorded without a client as the client `app`, in groups, filters, drill-down and CSV', async () => {
    const ledger = open();
    const d1 = Date.UTC(2025, 0, 1, 10);
    ledger.record(row({ startedAt: d1, source: 'chat', client: null, costUsd: 1 })); // recorded before chat was `app`
    ledger.record(row({ startedAt: d1 + HOUR, source: 'compare', client: 'app', costUsd: 2 }));
    ledger.record(row({ startedAt: d1 + DAY, source: 'port', client: null, costUsd: 4 })); // a port request without a token name
    ledger.record(row({ startedAt: d1 + DAY + HOUR, source: 'port', client: 'cursor', costUsd: 8 }));
    // Whole days (rollups) and a partial day (raw rows) alike.
    for (const q of [{}, { since: iso(d1 + 2 * HOUR) }]) {
      const groups = Object.fromEntries((await ledger.spend({ ...q, by: 'client' })).groups.map((g) => [g.key, g.knownCostUsd]));
      expect(groups).toEqual(Object.keys(q).length ? { '(none)': 4, cursor: 8 } : { app: 3, '(none)': 4, cursor: 8 });
    }
    expect((await ledger.spend({ client: 'app' })).knownCostUsd).toBe(3);
    expect((await ledger.series({ by: 'client' })).points.filter((p) => p.key === 'app').map((p) => [p.day, p.requests])).toEqual([
      ['2025-01-01', 2],
    ]);
    expect((await ledger.requests({ client: 'app' })).map((r) => r.client)).toEqual(['app', 'app']);
    expect([...(await ledger.csv({ client: 'app' }))].slice(1).map((l) => l.split(',')[3])).toEqual(['app', 'app']);
  });
});

describe('ledger schema migration', () => {
  it('brings a v1 ledger to v2, keeping rows and building the rollup from them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-mig-'));
    dirs.push(dir);
    const db = new Database(path.join(dir, 'ledger.db'));
    db.exec(`CREATE TABLE requests (id TEXT PRIMARY KEY, started_at INTEGER NOT NULL, source TEXT NOT NULL, client TEXT, route TEXT,
      provider TEXT, model TEXT, status TEXT NOT NULL, http_status INTEGER NOT NULL, error_message TEXT, attempts TEXT NOT NULL,
      input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, cost_usd REAL, ttft_ms INTEGER, duration_ms INTEGER NOT NULL);
      CREATE INDEX requests_started_at ON requests (started_at); PRAGMA user_version = 1;
      INSERT INTO requests VALUES ('old1', ${Date.UTC(2024, 5, 1)}, 'port', 'cursor', NULL, 'openai', 'gpt-4o', 'ok', 200, NULL, '[]', 100, 20, 0.25, 5, 9);
      INSERT INTO requests VALUES ('old2', ${Date.UTC(2024, 5, 2)}, 'port', NULL, NULL, 'local', 'llama', 'ok', 200, NULL, '[]', 50, 5, NULL, 5, 9);`);
    db.close();
    const ledger = open(dir);
    expect(await ledger.spend({})).toMatchObject({
      requests: 2,
      inputTokens: 150,
      costUsd: null,
      knownCostUsd: 0.25,
      unknownCostRequests: 1,
      cacheReadTokens: 0,
    });
    expect((await ledger.spend({ since: '2024-06-02' })).requests).toBe(1);
    expect((await ledger.recent(5)).map((r) => r.id)).toEqual(['old2', 'old1']);
    const check = new Database(path.join(dir, 'ledger.db'));
    expect((check.prepare('SELECT cost_known FROM requests WHERE id = ?').get('old2') as { cost_known: number }).cost_known).toBe(0);
    check.close();
  });
});

describe('conversations', () => {
  it('stores chat and compare conversations with their messages in order, and deletes them whole', async () => {
    const ledger = open();
    const chat = ledger.conversations.create('chat', 'About SQLite');
    ledger.conversations.append(chat.id, [
      { role: 'user', content: 'What is WAL?' },
      { role: 'assistant', content: 'Write-ahead logging.', model: 'openai/gpt-4o', requestId: 'req-1' },
    ]);
    ledger.conversations.append(chat.id, [{ role: 'user', content: 'Thanks' }]);
    const compare = ledger.conversations.create('compare', 'Two models');
    expect(
      ledger.conversations
        .list()
        .map((c) => c.id)
        .sort(),
    ).toEqual([chat.id, compare.id].sort());
    const got = (await ledger.conversations.get(chat.id))!;
    expect(got.kind).toBe('chat');
    expect(got.messages.map((m) => [m.role, m.content, m.model ?? null])).toEqual([
      ['user', 'What is WAL?', null],
      ['assistant', 'Write-ahead logging.', 'openai/gpt-4o'],
      ['user', 'Thanks', null],
    ]);
    expect(got.messages[1]!.requestId).toBe('req-1');
    expect(() => ledger.conversations.append('nope', [{ role: 'user', content: 'x' }])).toThrow(/no conversation "nope"/);
    expect(ledger.conversations.remove(chat.id)).toBe(true);
    expect(await ledger.conversations.get(chat.id)).toBeUndefined();
    expect(ledger.conversations.remove(chat.id)).toBe(false);
  });
});
