// The real Continue CLI (the pinned @continuedev/cli, `cn`) against the port's OpenAI dialect, configured
// from the Continue setup guide (~/.continue/config.yaml): `cn -p` through failover routes whose first
// target answers 503, a tool round trip with one of its own tools (Read) on an OpenAI-compatible target
// and translated for an Anthropic one, and the spend attributed to its token.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicFake, type AnthropicFake } from '../fakes/anthropic-fake';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import type { ScriptStep } from '../fakes/scenario';
import { startHarness, type Harness } from '../support/engine-harness';
import {
  binPath,
  guideSnippet,
  nodeFetchViaProxy,
  ledgerRows,
  openSandbox,
  agentModules,
  spendByClient,
  type ClientRun,
  type ClientSandbox,
  type LedgerRow,
} from './harness';

const PACKAGE = '@continuedev/cli';
const VERSION = (JSON.parse(readFileSync(resolve(agentModules, PACKAGE, 'package.json'), 'utf8')) as { version: string }).version;
const TOKEN_NAME = 'continue-cli';
const SECRET = 'the password is swordfish';
const FINAL = 'The file holds the password.';

// Continue's switches for what it would otherwise send out: its telemetry and metrics.
const OFFLINE = { CONTINUE_CLI_ENABLE_TELEMETRY: '0', CONTINUE_METRICS_ENABLED: '0' };
// What cn sends whatever it is told: its version check (GET https://api.continue.dev/cn/info on every
// start, with Node's fetch, which ignores the proxy variables unless nodeFetchViaProxy makes it use them).
const VERSION_CHECK = 'CONNECT api.continue.dev:443';

let sb: ClientSandbox;
let down: OpenAIFake;
let oa: OpenAIFake;
let an: AnthropicFake;
let h: Harness;
let file: string;

beforeAll(async () => {
  sb = await openSandbox('continue-cli');
  binPath('cn');
  file = join(sb.work, 'notes.txt');
  writeFileSync(file, `${SECRET}\n`);
  const script: ScriptStep[] = [{ toolCall: { name: 'Read', args: { filepath: file } } }, { text: FINAL }];
  [down, oa, an] = await Promise.all([
    startOpenAIFake({ models: ['m-down'], fault: { status: 503 } }),
    startOpenAIFake({ apiKey: 'k-oa', models: ['gpt-5-mini'], script }),
    startAnthropicFake({ apiKey: 'k-an', models: ['claude-sonnet-4-5'], script }),
  ]);
  h = await startHarness(
    {
      providers: [
        { id: 'down', kind: 'openai-compatible', baseUrl: down.url, keys: [{ env: 'K_DOWN' }], models: [{ id: 'm-down' }] },
        {
          id: 'oa',
          kind: 'openai-compatible',
          baseUrl: oa.url,
          keys: [{ env: 'K_OA' }],
          models: [{ id: 'gpt-5-mini', price: { input: 1, output: 2, cacheRead: 0.1, cacheWrite: 1 } }],
        },
        {
          id: 'an',
          kind: 'anthropic',
          baseUrl: an.url,
          keys: [{ env: 'K_AN' }],
          models: [{ id: 'claude-sonnet-4-5', price: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 } }],
        },
      ],
      routes: [
        {
          name: 'code-openai',
          targets: [
            { provider: 'down', model: 'm-down' },
            { provider: 'oa', model: 'gpt-5-mini' },
          ],
        },
        {
          name: 'code-anthropic',
          targets: [
            { provider: 'down', model: 'm-down' },
            { provider: 'an', model: 'claude-sonnet-4-5' },
          ],
        },
      ],
      health: { failureThreshold: 1000 },
    },
    { K_DOWN: 'k-down', K_OA: 'k-oa', K_AN: 'k-an' },
    TOKEN_NAME,
  );
}, 120_000);

afterAll(async () => {
  await h?.close();
  await Promise.all([down, oa, an].map((f) => f?.close()));
  await sb?.close();
});

const guide = (model: string) => ({ baseUrl: h.baseUrl, token: h.token, model });

async function cn(route: string): Promise<ClientRun> {
  mkdirSync(join(sb.home, '.continue'), { recursive: true });
  writeFileSync(join(sb.home, '.continue/config.yaml'), guideSnippet('continue', guide(route), '~/.continue/config.yaml'));
  const run = await sb.run(binPath('cn'), ['-p', 'What does notes.txt say?'], {
    env: { ...OFFLINE, ...nodeFetchViaProxy() },
    timeoutMs: 50_000,
  });
  const diagnosis = `exit ${run.code}${run.timedOut ? ' (timed out)' : ''} after ${run.durationMs} ms\nstdout: ${run.stdout.slice(-3000)}\nstderr: ${run.stderr.slice(0, 3000)}`;
  expect(run.timedOut, diagnosis).toBe(false);
  expect(run.code, diagnosis).toBe(0);
  expect(run.stdout.trim(), diagnosis).toBe(FINAL);
  return run;
}

const attempts = (row: LedgerRow) =>
  (JSON.parse(row.attempts) as Array<{ provider: string; status: number }>).map((a) => [a.provider, a.status]);

async function rowsSince(count: number) {
  await h.app.services.spend.summary({}); // flushes the ledger
  return ledgerRows(h.dataDir).slice(count);
}

describe(`Continue CLI (${PACKAGE} ${VERSION}) against the port`, () => {
  it("with the guide's ~/.continue/config.yaml: a Read round trip through a failover route to an OpenAI-compatible target", async () => {
    const before = ledgerRows(h.dataDir).length;
    await cn('code-openai');
    const second = oa.requests.map((r) => r.body).find((b) => JSON.stringify(b.messages).includes(SECRET));
    expect(second).toBeDefined();
    const messages = second.messages as any[];
    const call = messages.find((m) => m.role === 'assistant' && m.tool_calls)?.tool_calls[0];
    expect(call.function.name).toBe('Read');
    expect(JSON.parse(call.function.arguments)).toEqual({ filepath: file });
    const tool = messages.find((m) => m.role === 'tool');
    expect(tool.tool_call_id).toBe(call.id);
    expect(tool.content).toContain(SECRET);
    expect(oa.requests.every((r) => r.headers.authorization === 'Bearer k-oa')).toBe(true);
    const rows = await rowsSince(before);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(row).toMatchObject({ client: TOKEN_NAME, route: 'code-openai', provider: 'oa', status: 'ok' });
    expect(attempts(rows[0]!)).toEqual([
      ['down', 503],
      ['oa', 200],
    ]);
  }, 60_000);

  it('the same round trip translated for an Anthropic target', async () => {
    const before = ledgerRows(h.dataDir).length;
    await cn('code-anthropic');
    const second = an.requests.map((r) => r.body).find((b) => JSON.stringify(b.messages).includes(SECRET));
    expect(second).toBeDefined();
    const blocks = (second.messages as any[]).flatMap((m) => (Array.isArray(m.content) ? m.content : []));
    expect(blocks.find((b) => b.type === 'tool_use')).toMatchObject({ id: 'toolu_script_1', name: 'Read', input: { filepath: file } });
    const result = blocks.find((b) => b.type === 'tool_result');
    expect(result.tool_use_id).toBe('toolu_script_1');
    expect(JSON.stringify(result.content)).toContain(SECRET);
    const rows = await rowsSince(before);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(row).toMatchObject({ client: TOKEN_NAME, route: 'code-anthropic', provider: 'an', status: 'ok' });
    expect(attempts(rows[0]!)).toEqual([
      ['down', 503],
      ['an', 200],
    ]);
  }, 60_000);

  it('is attributed to its own token in `switchboard spend --by client --json`, and reached nothing beyond loopback but its version check, refused by the trap', async () => {
    await h.app.services.spend.summary({});
    const spend = await spendByClient(h.dataDir);
    expect(spend.groups.map((g) => g.key)).toEqual([TOKEN_NAME]);
    const group = spend.groups[0]!;
    expect(group.requests).toBe(ledgerRows(h.dataDir).length);
    expect(group.requests).toBeGreaterThanOrEqual(4);
    expect(group.costUsd).toBeGreaterThan(0);
    expect((await h.app.services.port.requests(500)).filter((e) => e.status !== 'ok')).toEqual([]);
    expect(sb.trap.attempts.length).toBeGreaterThan(0);
    expect(sb.trap.attempts.filter((a) => a !== VERSION_CHECK)).toEqual([]);
  });
});
