// The real Qwen Code (the pinned @qwen-code/qwen-code) against the port's OpenAI dialect, configured from
// its setup guide: `qwen -p` through failover routes whose first target answers 503, a tool round trip
// with one of its own tools (read_file) on an OpenAI-compatible target and translated for a Gemini one,
// and the spend attributed to its token.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGeminiFake, type GeminiFake } from '../fakes/gemini-fake';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import type { ScriptStep } from '../fakes/scenario';
import { startHarness, type Harness } from '../support/engine-harness';
import {
  binPath,
  guideSnippet,
  ledgerRows,
  openSandbox,
  agentModules,
  shellExports,
  spendByClient,
  type ClientRun,
  type ClientSandbox,
  type LedgerRow,
} from './harness';

const PACKAGE = '@qwen-code/qwen-code';
const VERSION = (JSON.parse(readFileSync(resolve(agentModules, PACKAGE, 'package.json'), 'utf8')) as { version: string }).version;
const TOKEN_NAME = 'qwen-code';
const SECRET = 'the password is swordfish';
const FINAL = 'The file holds the password.';

// Qwen Code's documented switches (settings.json and environment) for what it would otherwise send
// out: usage statistics, telemetry, update checks; the project folder is trusted so its tools run headless.
const OFFLINE_SETTINGS = {
  privacy: { usageStatisticsEnabled: false },
  telemetry: { enabled: false },
  general: { enableAutoUpdate: false },
  ide: { enabled: false },
};
const OFFLINE = { QWEN_USAGE_STATISTICS_ENABLED: 'false', QWEN_TELEMETRY_ENABLED: 'false' };

let sb: ClientSandbox;
let down: OpenAIFake;
let oa: OpenAIFake;
let gm: GeminiFake;
let h: Harness;
let file: string;

beforeAll(async () => {
  sb = await openSandbox('qwen-code');
  binPath('qwen');
  file = join(sb.work, 'notes.txt');
  writeFileSync(file, `${SECRET}\n`);
  mkdirSync(join(sb.home, '.qwen'), { recursive: true });
  // Each conversation: call Qwen Code's own read_file tool on the file, then answer once its result is back.
  const script: ScriptStep[] = [{ toolCall: { name: 'read_file', args: { file_path: file } } }, { text: FINAL }];
  [down, oa, gm] = await Promise.all([
    startOpenAIFake({ models: ['m-down'], fault: { status: 503 } }),
    startOpenAIFake({ apiKey: 'k-oa', models: ['qwen3-coder-plus'], script }),
    startGeminiFake({ apiKey: 'k-gm', models: ['gemini-2.5-pro'], script }),
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
          models: [{ id: 'qwen3-coder-plus', price: { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1 } }],
        },
        {
          id: 'gm',
          kind: 'gemini',
          baseUrl: gm.url,
          keys: [{ env: 'K_GM' }],
          models: [{ id: 'gemini-2.5-pro', price: { input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 1.25 } }],
        },
      ],
      routes: [
        {
          name: 'code-openai',
          targets: [
            { provider: 'down', model: 'm-down' },
            { provider: 'oa', model: 'qwen3-coder-plus' },
          ],
        },
        {
          name: 'code-gemini',
          targets: [
            { provider: 'down', model: 'm-down' },
            { provider: 'gm', model: 'gemini-2.5-pro' },
          ],
        },
      ],
      health: { failureThreshold: 1000 },
    },
    { K_DOWN: 'k-down', K_OA: 'k-oa', K_GM: 'k-gm' },
    TOKEN_NAME,
  );
}, 120_000);

afterAll(async () => {
  await h?.close();
  await Promise.all([down, oa, gm].map((f) => f?.close()));
  await sb?.close();
});

const guide = (model: string) => ({ baseUrl: h.baseUrl, token: h.token, model });

function writeSettings(extra: Record<string, unknown> = {}): void {
  writeFileSync(join(sb.home, '.qwen/settings.json'), JSON.stringify({ ...extra, ...OFFLINE_SETTINGS }, null, 2));
}

async function qwen(env: Record<string, string | undefined>): Promise<ClientRun> {
  const run = await sb.run(binPath('qwen'), ['-p', 'What does notes.txt say?', '--output-format', 'json'], {
    env: { ...OFFLINE, ...env },
    timeoutMs: 50_000,
  });
  const diagnosis = `exit ${run.code}${run.timedOut ? ' (timed out)' : ''} after ${run.durationMs} ms\nstdout: ${run.stdout.slice(-3000)}\nstderr: ${run.stderr.slice(0, 3000)}`;
  expect(run.timedOut, diagnosis).toBe(false);
  expect(run.code, diagnosis).toBe(0);
  // --output-format json: an array of events ending in the result.
  const result = (JSON.parse(run.stdout) as Array<{ type: string; result?: string; is_error?: boolean }>).find((e) => e.type === 'result');
  expect(result, diagnosis).toMatchObject({ is_error: false, result: FINAL });
  return run;
}

const attempts = (row: LedgerRow) =>
  (JSON.parse(row.attempts) as Array<{ provider: string; status: number }>).map((a) => [a.provider, a.status]);

async function rowsSince(count: number) {
  await h.app.services.spend.summary({}); // flushes the ledger
  return ledgerRows(h.dataDir).slice(count);
}

describe(`Qwen Code (${PACKAGE} ${VERSION}) against the port`, () => {
  it("with the guide's shell variables: a read_file round trip through a failover route to an OpenAI-compatible target", async () => {
    const before = ledgerRows(h.dataDir).length;
    writeSettings();
    await qwen(shellExports(guideSnippet('qwen-code', guide('code-openai'), 'shell')));
    const second = oa.requests.map((r) => r.body).find((b) => JSON.stringify(b.messages).includes(SECRET));
    expect(second).toBeDefined();
    const messages = second.messages as any[];
    const call = messages.find((m) => m.role === 'assistant' && m.tool_calls)?.tool_calls[0];
    expect(call.function.name).toBe('read_file');
    expect(JSON.parse(call.function.arguments)).toEqual({ file_path: file });
    const tool = messages.find((m) => m.role === 'tool');
    expect(tool.tool_call_id).toBe(call.id);
    expect(JSON.stringify(tool.content)).toContain(SECRET);
    expect(oa.requests.every((r) => r.headers.authorization === 'Bearer k-oa')).toBe(true);
    const rows = await rowsSince(before);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(row).toMatchObject({ client: TOKEN_NAME, route: 'code-openai', provider: 'oa', status: 'ok' });
    expect(attempts(rows[0]!)).toEqual([
      ['down', 503],
      ['oa', 200],
    ]);
  }, 60_000);

  it("with the guide's ~/.qwen/settings.json: the same round trip translated for a Gemini target", async () => {
    const before = ledgerRows(h.dataDir).length;
    writeSettings(JSON.parse(guideSnippet('qwen-code', guide('code-gemini'), '~/.qwen/settings.json')) as Record<string, unknown>);
    try {
      await qwen({ SWITCHBOARD_TOKEN: h.token });
    } finally {
      writeSettings();
    }
    const second = gm.requests.map((r) => r.body).find((b) => JSON.stringify(b.contents).includes(SECRET));
    expect(second).toBeDefined();
    const contents = second.contents as any[];
    const at = contents.findIndex((c) => c.parts?.some((p: any) => p.functionResponse));
    expect(contents[at - 1]).toMatchObject({ role: 'model', parts: [{ functionCall: { name: 'read_file', args: { file_path: file } } }] });
    const response = contents[at].parts.find((p: any) => p.functionResponse).functionResponse;
    expect(response.name).toBe('read_file');
    expect(JSON.stringify(response.response)).toContain(SECRET);
    const rows = await rowsSince(before);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(row).toMatchObject({ client: TOKEN_NAME, route: 'code-gemini', provider: 'gm', status: 'ok' });
    expect(attempts(rows[0]!)).toEqual([
      ['down', 503],
      ['gm', 200],
    ]);
  }, 60_000);

  it('is attributed to its own token in `switchboard spend --by client --json`, and reached nothing beyond loopback', async () => {
    await h.app.services.spend.summary({});
    const spend = await spendByClient(h.dataDir);
    expect(spend.groups.map((g) => g.key)).toEqual([TOKEN_NAME]);
    const group = spend.groups[0]!;
    expect(group.requests).toBe(ledgerRows(h.dataDir).length);
    expect(group.requests).toBeGreaterThanOrEqual(4);
    expect(group.costUsd).toBeGreaterThan(0);
    expect((await h.app.services.port.requests(500)).filter((e) => e.status !== 'ok')).toEqual([]);
    expect(sb.trap.attempts).toEqual([]);
  });
});
