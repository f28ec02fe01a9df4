// The real Gemini CLI (the pinned @google/gemini-cli) against the port's Gemini dialect, configured from
// its setup guide: `gemini -p` through failover routes whose first target answers 503, a tool round trip
// with one of its own tools (read_file) on a Gemini target and translated for an OpenAI-compatible one,
// its own side-task model names through the guide's alias, and the spend attributed to its token.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGeminiFake, type GeminiFake } from '../fakes/gemini-fake';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import type { ScriptStep } from '../fakes/scenario';
import { startHarness, type Harness } from '../support/engine-harness';
import {
  binPath,
  GuideMissingError,
  guideSnippet,
  guideSteps,
  ledgerRows,
  openSandbox,
  agentModules,
  shellExports,
  spendByClient,
  type ClientRun,
  type ClientSandbox,
  type LedgerRow,
} from './harness';

const PACKAGE = '@google/gemini-cli';
const VERSION = (JSON.parse(readFileSync(resolve(agentModules, PACKAGE, 'package.json'), 'utf8')) as { version: string }).version;
const TOKEN_NAME = 'gemini-cli';
const SECRET = 'the password is swordfish';
const FINAL = 'The file holds the password.';

// Gemini CLI's documented switches (settings.json) for everything it would otherwise send to Google or
// npm: usage statistics (Clearcut), telemetry, update checks, the IDE companion; the project folder is
// trusted so that its tools run headless, and it runs in this process instead of relaunching itself.
const OFFLINE_SETTINGS = {
  privacy: { usageStatisticsEnabled: false },
  telemetry: { enabled: false },
  general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
  ide: { enabled: false },
};
const OFFLINE = { GEMINI_TELEMETRY_ENABLED: 'false', GEMINI_CLI_TRUST_WORKSPACE: 'true', GEMINI_CLI_NO_RELAUNCH: 'true' };

let sb: ClientSandbox;
let down: OpenAIFake;
let gm: GeminiFake;
let oa: OpenAIFake;
let h: Harness;
let file: string;

beforeAll(async () => {
  sb = await openSandbox('gemini-cli');
  binPath('gemini');
  file = join(sb.work, 'notes.txt');
  writeFileSync(file, `${SECRET}\n`);
  mkdirSync(join(sb.home, '.gemini'), { recursive: true });
  // Each conversation: call Gemini CLI's own read_file tool on the file, then answer once its result is back.
  const script: ScriptStep[] = [{ toolCall: { name: 'read_file', args: { file_path: file } } }, { text: FINAL }];
  [down, gm, oa] = await Promise.all([
    startOpenAIFake({ models: ['m-down'], fault: { status: 503 } }),
    startGeminiFake({ apiKey: 'k-gm', models: ['gemini-2.5-pro'], script }),
    startOpenAIFake({ apiKey: 'k-oa', models: ['gpt-5-mini'], script }),
  ]);
  h = await startHarness(
    {
      providers: [
        { id: 'down', kind: 'openai-compatible', baseUrl: down.url, keys: [{ env: 'K_DOWN' }], models: [{ id: 'm-down' }] },
        {
          id: 'gm',
          kind: 'gemini',
          baseUrl: gm.url,
          keys: [{ env: 'K_GM' }],
          models: [{ id: 'gemini-2.5-pro', price: { input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 1.25 } }],
        },
        {
          id: 'oa',
          kind: 'openai-compatible',
          baseUrl: oa.url,
          keys: [{ env: 'K_OA' }],
          models: [{ id: 'gpt-5-mini', price: { input: 1, output: 2, cacheRead: 0.1, cacheWrite: 1 } }],
        },
      ],
      routes: [
        {
          name: 'code-gemini',
          targets: [
            { provider: 'down', model: 'm-down' },
            { provider: 'gm', model: 'gemini-2.5-pro' },
          ],
        },
        {
          name: 'code-openai',
          targets: [
            { provider: 'down', model: 'm-down' },
            { provider: 'oa', model: 'gpt-5-mini' },
          ],
        },
      ],
      // The alias the guide tells users to add, so the CLI's own side-task model names reach a route.
      aliases: guideAliases('code-openai'),
      health: { failureThreshold: 1000 },
    },
    { K_DOWN: 'k-down', K_GM: 'k-gm', K_OA: 'k-oa' },
    TOKEN_NAME,
  );
  // The guide's settings.json (the sign-in method) with the offline switches added.
  const guided = JSON.parse(guideSnippet('gemini-cli', guide('unused'), '~/.gemini/settings.json')) as Record<string, unknown>;
  writeFileSync(join(sb.home, '.gemini/settings.json'), JSON.stringify({ ...guided, ...OFFLINE_SETTINGS }, null, 2));
}, 120_000);

afterAll(async () => {
  await h?.close();
  await Promise.all([down, gm, oa].map((f) => f?.close()));
  await sb?.close();
});

const guide = (model: string) => ({ baseUrl: h.baseUrl, token: h.token, model });

function guideAliases(route: string): unknown {
  const text = guideSteps('gemini-cli', { baseUrl: '', token: '', model: route }).join('\n');
  const json = /"aliases": (\[.*?\])`/.exec(text)?.[1];
  if (!json) throw new GuideMissingError('"gemini-cli" step with the gemini-* alias');
  return JSON.parse(json);
}

async function gemini(env: Record<string, string | undefined>): Promise<ClientRun> {
  const run = await sb.run(binPath('gemini'), ['-p', 'What does notes.txt say?', '--output-format', 'json'], {
    env: { ...OFFLINE, ...env },
    timeoutMs: 45_000,
  });
  const diagnosis = `exit ${run.code}${run.timedOut ? ' (timed out)' : ''} after ${run.durationMs} ms\nstdout: ${run.stdout.slice(0, 3000)}\nstderr: ${run.stderr.slice(0, 3000)}`;
  expect(run.timedOut, diagnosis).toBe(false);
  expect(run.code, diagnosis).toBe(0);
  const result = JSON.parse(run.stdout) as Record<string, any>;
  expect(result.response, diagnosis).toBe(FINAL);
  return run;
}

const attempts = (row: LedgerRow) =>
  (JSON.parse(row.attempts) as Array<{ provider: string; status: number }>).map((a) => [a.provider, a.status]);

async function rowsSince(count: number) {
  await h.app.services.spend.summary({}); // flushes the ledger
  return ledgerRows(h.dataDir).slice(count);
}

describe(`Gemini CLI (${PACKAGE} ${VERSION}) against the port`, () => {
  it("with the guide's shell variables and settings.json: a read_file round trip through a failover route to a Gemini target", async () => {
    const before = ledgerRows(h.dataDir).length;
    await gemini(shellExports(guideSnippet('gemini-cli', guide('code-gemini'), 'shell')));
    // The request that carried the read_file result back: the call, then its response, as Gemini pairs them.
    const second = gm.requests.map((r) => r.body).find((b) => JSON.stringify(b.contents).includes(SECRET));
    expect(second).toBeDefined();
    const contents = second.contents as any[];
    const at = contents.findIndex((c) => c.parts?.some((p: any) => p.functionResponse));
    expect(contents[at - 1]).toMatchObject({ role: 'model', parts: [{ functionCall: { name: 'read_file', args: { file_path: file } } }] });
    const response = contents[at].parts.find((p: any) => p.functionResponse).functionResponse;
    expect(response.name).toBe('read_file');
    expect(JSON.stringify(response.response)).toContain(SECRET);
    // The CLI's x-goog-api-key is the client token; the upstream got the provider's key.
    expect(gm.requests.every((r) => r.headers['x-goog-api-key'] === 'k-gm')).toBe(true);
    const rows = await rowsSince(before);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(row).toMatchObject({ client: TOKEN_NAME, route: 'code-gemini', provider: 'gm', status: 'ok' });
    expect(attempts(rows[0]!)).toEqual([
      ['down', 503],
      ['gm', 200],
    ]);
  }, 60_000);

  it("with the guide's ~/.gemini/.env: the same round trip translated for an OpenAI-compatible target", async () => {
    const before = ledgerRows(h.dataDir).length;
    const seen = oa.requests.length;
    writeFileSync(join(sb.home, '.gemini/.env'), guideSnippet('gemini-cli', guide('code-openai'), '~/.gemini/.env'));
    try {
      await gemini({});
    } finally {
      rmSync(join(sb.home, '.gemini/.env'));
    }
    const second = oa.requests
      .slice(seen)
      .map((r) => r.body)
      .find((b) => JSON.stringify(b.messages).includes(SECRET));
    expect(second).toBeDefined();
    const messages = second.messages as any[];
    const call = messages.find((m) => m.role === 'assistant' && m.tool_calls)?.tool_calls[0];
    expect(call.function.name).toBe('read_file');
    expect(JSON.parse(call.function.arguments)).toEqual({ file_path: file });
    const tool = messages.find((m) => m.role === 'tool');
    expect(tool.tool_call_id).toBe(call.id);
    expect(tool.content).toContain(SECRET);
    const rows = await rowsSince(before);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(row).toMatchObject({ client: TOKEN_NAME, route: 'code-openai', provider: 'oa', status: 'ok' });
    expect(attempts(rows[0]!)).toEqual([
      ['down', 503],
      ['oa', 200],
    ]);
  }, 60_000);

  it("with no model set, its routing classifier and its turns reach a route through the guide's gemini-* alias", async () => {
    const before = ledgerRows(h.dataDir).length;
    const seen = oa.requests.length;
    const env: Record<string, string | undefined> = shellExports(guideSnippet('gemini-cli', guide('unused'), 'shell'));
    env.GEMINI_MODEL = undefined;
    await gemini(env);
    // Its classifier asks for JSON by a schema written with Google's type names: the upstream gets JSON Schema.
    const classifier = oa.requests
      .slice(seen)
      .map((r) => r.body)
      .find((b) => b.response_format?.type === 'json_schema');
    expect(classifier?.response_format.json_schema.schema).toMatchObject({
      type: 'object',
      properties: { complexity_score: { type: 'integer' } },
    });
    const rows = await rowsSince(before);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of rows) expect(row).toMatchObject({ client: TOKEN_NAME, route: 'code-openai', provider: 'oa', status: 'ok' });
  }, 60_000);

  it('is attributed to its own token in `switchboard spend --by client --json`, and reached nothing beyond loopback', async () => {
    await h.app.services.spend.summary({});
    const spend = await spendByClient(h.dataDir);
    expect(spend.groups.map((g) => g.key)).toEqual([TOKEN_NAME]);
    const group = spend.groups[0]!;
    expect(group.requests).toBe(ledgerRows(h.dataDir).length);
    expect(group.requests).toBeGreaterThanOrEqual(7);
    expect(group.costUsd).toBeGreaterThan(0);
    expect((await h.app.services.port.requests(500)).filter((e) => e.status !== 'ok')).toEqual([]);
    expect(sb.trap.attempts).toEqual([]);
  });
});
