// One contract for both ledger backends: the same rows recorded into the SQLite ledger and into the team
// ledger (SQLite outbox shipped to a real PostgreSQL) give the same spend, series, CSV, requests and
// recent rows. Then what only the team ledger does: a re-shipped batch counts once, holds end with their
// rows, and requests a crash cut (recovered as `interrupted` at a later start) ship too.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'libsql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpendQuery, SpendRequestsQuery } from '../../shared/types';
import { openLedger } from '../../electron/engine/ledger/ledger';
import type { Ledger, RequestRecord } from '../../electron/engine/ledger/types';
import { openTeamLedger } from '../../electron/engine/team/ledger/team-ledger';
import { requestRow } from '../support/request-rows';
import { teamLab } from '../support/team-lab';

const lab = teamLab();

const at = (iso: string) => Date.parse(iso);
// The figures the totals below add up, stated here; the rest is an ordinary request.
const base: RequestRecord = requestRow({
  id: '',
  startedAt: 0,
  client: 'alice',
  attempts: [{ provider: 'openai', model: 'gpt-4o-mini', status: 200, durationMs: 300 }],
  inputTokens: 1000,
  outputTokens: 200,
  costUsd: 0.0015,
});

/** Every kind of row the ledger holds, over two months, with distinct start times (ties order by rowid vs id). */
const ROWS: RequestRecord[] = [
  { ...base, id: 'r01', startedAt: at('2026-01-10T08:00:00Z'), route: 'fast', cacheReadTokens: 400, requestedModel: 'fast' },
  {
    ...base,
    id: 'r02',
    startedAt: at('2026-01-10T13:30:00Z'),
    provider: 'anthropic',
    model: 'claude-haiku',
    status: 'error',
    httpStatus: 502,
    errorMessage: 'upstream said "no", then closed, twice',
    attempts: [
      { provider: 'openai', model: 'gpt-4o-mini', status: 503, errorClass: 'server', durationMs: 12.6 },
      { provider: 'anthropic', model: 'claude-haiku', status: 502, errorClass: 'server', durationMs: 40.2 },
    ],
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    ttftMs: null,
    // A fractional duration (SQLite keeps it as REAL; PostgreSQL's column is an integer).
    durationMs: 52.8,
  },
  { ...base, id: 'r03', startedAt: at('2026-01-11T00:00:00Z'), client: 'bob', provider: 'local', model: 'llama3', costUsd: null },
  {
    ...base,
    id: 'r04',
    startedAt: at('2026-01-31T23:59:59.999Z'),
    source: 'chat',
    client: null,
    usageEstimated: true,
    inputTokens: 321,
    outputTokens: 55,
    costUsd: 0.002,
  },
  {
    ...base,
    id: 'r05',
    startedAt: at('2026-02-01T00:00:00Z'),
    client: 'bob',
    provider: 'anthropic',
    model: 'claude-sonnet',
    route: 'smart',
    cacheWriteTokens: 50,
    reasoningTokens: 30,
    costUsd: 0.01,
  },
  { ...base, id: 'r06', startedAt: at('2026-02-02T10:00:00Z'), source: 'compare', client: 'app', costUsd: 0.0004 },
  { ...base, id: 'r07', startedAt: at('2026-02-03T05:00:00Z'), client: null, status: 'cancelled', httpStatus: 499, costUsd: 0.0001 },
  { ...base, id: 'r08', startedAt: at('2026-02-03T06:00:00Z'), client: '=cmd()', costUsd: 0.25, ttftMs: 99.5, durationMs: 1000.4 },
];

interface Backend {
  name: string;
  open(dataDir: string): Promise<Ledger>;
}

const backends: Backend[] = [
  { name: 'sqlite', open: async (dataDir) => openLedger(dataDir) },
  {
    name: 'postgres',
    open: async (dataDir) => openTeamLedger({ dataDir, db: await lab.freshPool(), instance: 'contract', onError: () => {} }),
  },
];

const WHOLE: SpendQuery = { since: '2025-12-01', until: '2026-03-01' };
const SPEND: Array<[string, SpendQuery]> = [
  ['all', {}],
  ...(['day', 'model', 'provider', 'client', 'route'] as const).map((by): [string, SpendQuery] => [`by ${by}`, { ...WHOLE, by }]),
  ['partial days', { since: '2026-01-10T12:00:00Z', until: '2026-02-02T12:00:00Z', by: 'day' }],
  ['partial by model', { since: '2026-01-10T12:00:00Z', until: '2026-02-03T05:30:00Z', by: 'model' }],
  ['client alice', { client: 'alice' }],
  ['client app', { client: 'app', by: 'client' }],
  ['source chat', { source: 'chat' }],
  ['empty range', { since: '2027-01-01' }],
];
const SERIES: Array<[string, SpendQuery]> = [
  ['days', WHOLE],
  ['days by model', { ...WHOLE, by: 'model' }],
  ['days by client', { ...WHOLE, by: 'client' }],
  ['hours', { since: '2026-01-10', until: '2026-01-12', bucket: 'hour' }],
  ['hours by provider', { since: '2026-01-31T20:00:00Z', until: '2026-02-01T04:00:00Z', bucket: 'hour', by: 'provider' }],
];
const REQUESTS: Array<[string, SpendRequestsQuery]> = [
  ['first page', { limit: 3 }],
  ['next page', { limit: 3, before: at('2026-02-02T10:00:00Z') }],
  ['provider', { provider: 'anthropic' }],
  ['model', { model: 'llama3' }],
  ['route', { route: 'fast' }],
  ['client app', { client: 'app' }],
  ['source and range', { source: 'port', since: '2026-01-11', until: '2026-02-03' }],
];

type Answers = Record<string, unknown>;
const answers: Record<string, Answers> = {};

describe.each(backends)('the $name ledger', (backend) => {
  let ledger: Ledger;
  let got: Answers;

  beforeAll(async () => {
    ledger = await backend.open(lab.tempDir('sb-contract-'));
    for (const row of ROWS) ledger.record(structuredClone(row));
    await ledger.flush();
    got = {};
    for (const [name, q] of SPEND) got[`spend ${name}`] = await ledger.spend(q);
    for (const [name, q] of SERIES) got[`series ${name}`] = await ledger.series(q);
    got['csv all'] = [...(await ledger.csv({}))];
    got['csv bob'] = [...(await ledger.csv({ client: 'bob', since: '2026-01-01' }))];
    for (const [name, q] of REQUESTS) got[`requests ${name}`] = await ledger.requests(q);
    // Whole milliseconds: the team database stores them so (every reader rounds the same way).
    got.recent = (await ledger.recent(4)).map((r) => ({
      ...r,
      durationMs: Math.round(r.durationMs),
      ttftMs: r.ttftMs && Math.round(r.ttftMs),
    }));
    answers[backend.name] = got;
  }, 30_000);
  afterAll(() => ledger?.close());

  it('totals every row, an unknown cost unknown (never $0), estimates and cache tokens counted', () => {
    expect(got['spend all']).toMatchObject({
      requests: 8,
      inputTokens: 6321,
      outputTokens: 1255,
      cacheReadTokens: 400,
      cacheWriteTokens: 50,
      reasoningTokens: 30,
      costUsd: null,
      knownCostUsd: 0.264,
      unknownCostRequests: 1,
      estimatedRequests: 1,
      groups: [],
    });
    expect(got['spend empty range']).toMatchObject({ requests: 0, costUsd: 0, groups: [] });
  });

  it('groups by every grouping, labels as the app shows them', () => {
    const keys = (name: string) => (got[`spend ${name}`] as { groups: Array<{ key: string }> }).groups.map((g) => g.key);
    expect(keys('by day')).toEqual(['2026-01-10', '2026-01-11', '2026-01-31', '2026-02-01', '2026-02-02', '2026-02-03']);
    expect(keys('by client')).toEqual(['=cmd()', 'bob', 'app', 'alice', '(none)']);
    expect(keys('by model')).toContain('local/llama3');
    expect(keys('by route')).toEqual(['(none)', 'smart', 'fast']);
    expect(keys('partial days')).toEqual(['2026-01-10', '2026-01-11', '2026-01-31', '2026-02-01', '2026-02-02']);
    expect(got['spend client app']).toMatchObject({ requests: 2, groups: [{ key: 'app', requests: 2 }] });
  });

  it('pages requests newest first, with attempts and rounding', () => {
    const first = got['requests first page'] as Array<{ id: string }>;
    const next = got['requests next page'] as Array<{ id: string }>;
    expect(first.map((r) => r.id)).toEqual(['r08', 'r07', 'r06']);
    expect(next.map((r) => r.id)).toEqual(['r05', 'r04', 'r03']);
    const failed = (got['requests provider'] as Array<Record<string, unknown>>).find((r) => r.id === 'r02');
    expect(failed).toMatchObject({ status: 'error', durationMs: 53, attempts: [{ durationMs: 13 }, { durationMs: 40 }] });
  });

  it('exports CSV with quoting and formula neutralising', () => {
    const lines = got['csv all'] as string[];
    expect(lines).toHaveLength(9);
    expect(lines[0]).toMatch(/^id,started_at,source,client,/);
    expect(lines.find((l) => l.startsWith('r08,'))).toContain(`"'=cmd()"`);
    expect(lines.find((l) => l.startsWith('r02,'))).toContain('"upstream said ""no"", then closed, twice"');
  });
});

describe('both backends', () => {
  it('give the same answers to every query', () => {
    expect(Object.keys(answers)).toEqual(['sqlite', 'postgres']);
    for (const key of Object.keys(answers.sqlite!)) expect(answers.postgres![key], key).toEqual(answers.sqlite![key]);
  });
});

describe('the team ledger', () => {
  it('ships a batch again without counting it twice, and ends the holds of the rows it ships', async () => {
    const dataDir = lab.tempDir('sb-contract-');
    const db = await lab.freshPool();
    const open = () => openTeamLedger({ dataDir, db, instance: 'one', onError: () => {} });
    let ledger = await open();
    await db.query(
      `INSERT INTO budget_holds (request_id, client, usd, tokens, held_at, expires_at) VALUES ('r01', 'alice', 1, 100, 0, 1), ('other', 'alice', 1, 100, 0, 1)`,
    );
    for (const row of ROWS) ledger.record(structuredClone(row));
    await ledger.shipped();
    expect((await db.query('SELECT request_id FROM budget_holds')).rows).toEqual([{ request_id: 'other' }]);
    const totals = (await db.query('SELECT * FROM spend_totals ORDER BY scope, period')).rows;
    await ledger.close();
    // A crash between the database's commit and the local mark: the outbox starts over.
    for (const f of readdirSync(dataDir).filter((n) => n.startsWith('team-outbox-'))) rmSync(join(dataDir, f));
    ledger = await open();
    expect(ledger.outbox().unshipped).toBe(ROWS.length);
    await ledger.shipped();
    expect(ledger.outbox()).toMatchObject({ unshipped: 0, oldestUnshippedAt: null, lastError: null });
    const { rows } = await db.query('SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS ids, MIN(instance) AS instance FROM requests');
    expect(rows[0]).toEqual({ n: ROWS.length, ids: ROWS.length, instance: 'one' });
    expect((await db.query('SELECT * FROM spend_totals ORDER BY scope, period')).rows).toEqual(totals);
    await ledger.close();
  });

  it('ships the rows of requests a crash cut, recovered at a later start', async () => {
    const dataDir = lab.tempDir('sb-contract-');
    const db = await lab.freshPool();
    let ledger = await openTeamLedger({ dataDir, db, instance: 'one', onError: () => {} });
    ledger.record({ ...base, id: 'before', startedAt: Date.now() - 1000 });
    await ledger.close();
    // A journal entry whose process is gone (no such pid), as a SIGKILL leaves it.
    const local = new Database(join(dataDir, 'ledger.db'));
    local
      .prepare(
        `INSERT INTO requests_open (id, owner, started_at, source, client, route, requested_model, provider, model, attempts, input_tokens, cost_usd)
         VALUES ('cut', '999999999:gone', ?, 'port', 'alice', NULL, 'fast', 'openai', 'gpt-4o-mini', '[]', 42, 0.001)`,
      )
      .run(Date.now() - 500);
    local.close();
    ledger = await openTeamLedger({ dataDir, db, instance: 'two', onError: () => {} });
    await ledger.shipped();
    const { rows } = await db.query('SELECT id, status, input_tokens, usage_estimated, instance FROM requests ORDER BY id');
    expect(rows).toEqual([
      { id: 'before', status: 'ok', input_tokens: 1000, usage_estimated: 0, instance: 'one' },
      { id: 'cut', status: 'interrupted', input_tokens: 42, usage_estimated: 1, instance: 'two' },
    ]);
    expect((await ledger.requests({ limit: 1 }))[0]).toMatchObject({ id: 'cut', status: 'interrupted' });
    await ledger.close();
  });
});
