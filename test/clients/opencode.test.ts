// The real opencode (the pinned opencode-ai, a native binary) against the port's OpenAI dialect,
// configured from its setup guide: `opencode run` through failover routes whose first target answers
// 503, a tool round trip with one of its own tools (read) on an OpenAI-compatible target and translated
// for an Anthropic one, and the spend attributed to its token.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicFake, type AnthropicFake } from '../fakes/anthropic-fake';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import type { ScriptStep } from '../fakes/scenario';
import { startHarness, type Harness } from '../support/engine-harness';
import {
  ensurePostinstall,
  fileAtLeast,
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

const PACKAGE = 'opencode-ai';
const VERSION = (JSON.parse(readFileSync(resolve(agentModules, PACKAGE, 'package.json'), 'utf8')) as { version: string }).version;
const BINARY = resolve(agentModules, PACKAGE, 'bin/opencode.exe');
const TOKEN_NAME = 'opencode';
const SECRET = 'the password is swordfish';
const FINAL = 'The file holds the password.';

// opencode's documented switches for everything it would otherwise fetch: the models.dev catalogue,
// self-updates, session sharing, LSP servers and default plugins (npm), Claude Code's files.
const OFFLINE = {
  OPENCODE_DISABLE_MODELS_FETCH: '1',
  OPENCODE_DISABLE_AUTOUPDATE: '1',
  OPENCODE_DISABLE_SHARE: '1',
  OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
  OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
  OPENCODE_DISABLE_CLAUDE_CODE: '1',
};

let sb: ClientSandbox;
let down: OpenAIFake;
let oa: OpenAIFake;
let an: AnthropicFake;
let h: Harness;
let file: string;

beforeAll(async () => {
  sb = await openSandbox('opencode');
  await ensurePostinstall(PACKAGE, () => fileAtLeast(BINARY, 1_000_000), sb);
  // opencode installs its plugin SDK into each config directory from npm in the background, unless that
  // directory's lockfile already has it (as after a first run online): the state it would leave is put there.
  mkdirSync(join(sb.home, '.config/opencode/node_modules'), { recursive: true });
  writeFileSync(
    join(sb.home, '.config/opencode/package-lock.json'),
    JSON.stringify({ lockfileVersion: 3, packages: { '': { dependencies: { '@opencode-ai/plugin': VERSION } } } }),
  );
  file = join(sb.work, 'notes.txt');
  writeFileSync(file, `${SECRET}\n`);
  // Each conversation: call opencode's own read tool on the file, then answer once its result is back.
  const script: ScriptStep[] = [{ toolCall: { name: 'read', args: { filePath: file } } }, { text: FINAL }];
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

async function opencode(route: string): Promise<ClientRun> {
  mkdirSync(join(sb.home, '.config/opencode'), { recursive: true });
  writeFileSync(
    join(sb.home, '.config/opencode/opencode.json'),
    guideSnippet('opencode', guide(route), '~/.config/opencode/opencode.json'),
  );
  const env = { ...OFFLINE, ...shellExports(guideSnippet('opencode', guide(route), 'shell')) };
  const run = await sb.run(BINARY, ['run', '--format', 'json', 'What does notes.txt say?'], { env, timeoutMs: 50_000 });
  const diagnosis = `exit ${run.code}${run.timedOut ? ' (timed out)' : ''} after ${run.durationMs} ms\nstdout: ${run.stdout.slice(-3000)}\nstderr: ${run.stderr.slice(-3000)}`;
  expect(run.timedOut, diagnosis).toBe(false);
  expect(run.code, diagnosis).toBe(0);
  // --format json: one event per line; the answer is the last text part.
  const texts = run.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { type: string; part?: { text?: string } })
    .filter((e) => e.type === 'text');
  expect(texts.at(-1)?.part?.text, diagnosis).toBe(FINAL);
  return run;
}

const attempts = (row: LedgerRow) =>
  (JSON.parse(row.attempts) as Array<{ provider: string; status: number }>).map((a) => [a.provider, a.status]);

async function rowsSince(count: number) {
  await h.app.services.spend.summary({}); // flushes the ledger
  return ledgerRows(h.dataDir).slice(count);
}

describe(`opencode (${PACKAGE} ${VERSION}) against the port`, () => {
  it("with the guide's opencode.json and shell variable: a read round trip through a failover route to an OpenAI-compatible target", async () => {
    const before = ledgerRows(h.dataDir).length;
    await opencode('code-openai');
    const second = oa.requests.map((r) => r.body).find((b) => JSON.stringify(b.messages).includes(SECRET));
    expect(second).toBeDefined();
    const messages = second.messages as any[];
    const call = messages.find((m) => m.role === 'assistant' && m.tool_calls)?.tool_calls[0];
    expect(call.function.name).toBe('read');
    expect(JSON.parse(call.function.arguments)).toEqual({ filePath: file });
    const tool = messages.find((m) => m.role === 'tool');
    expect(tool.tool_call_id).toBe(call.id);
    expect(tool.content).toContain(SECRET);
    // The token reached the port as a Bearer token; the upstream got the provider's key.
    expect(oa.requests.every((r) => r.headers.authorization === 'Bearer k-oa')).toBe(true);
    const rows = await rowsSince(before);
    expect(rows.length).toBeGreaterThanOrEqual(3); // its title request and two turns
    for (const row of rows) expect(row).toMatchObject({ client: TOKEN_NAME, route: 'code-openai', provider: 'oa', status: 'ok' });
    expect(rows.map(attempts)).toContainEqual([
      ['down', 503],
      ['oa', 200],
    ]);
  }, 60_000);

  it('the same round trip translated for an Anthropic target', async () => {
    const before = ledgerRows(h.dataDir).length;
    await opencode('code-anthropic');
    const second = an.requests.map((r) => r.body).find((b) => JSON.stringify(b.messages).includes(SECRET));
    expect(second).toBeDefined();
    const blocks = (second.messages as any[]).flatMap((m) => (Array.isArray(m.content) ? m.content : []));
    expect(blocks.find((b) => b.type === 'tool_use')).toMatchObject({ id: 'toolu_script_1', name: 'read', input: { filePath: file } });
    const result = blocks.find((b) => b.type === 'tool_result');
    expect(result.tool_use_id).toBe('toolu_script_1');
    expect(JSON.stringify(result.content)).toContain(SECRET);
    const rows = await rowsSince(before);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of rows) expect(row).toMatchObject({ client: TOKEN_NAME, route: 'code-anthropic', provider: 'an', status: 'ok' });
    expect(rows.map(attempts)).toContainEqual([
      ['down', 503],
      ['an', 200],
    ]);
  }, 60_000);

  it('is attributed to its own token in `switchboard spend --by client --json`, and reached nothing beyond loopback', async () => {
    await h.app.services.spend.summary({});
    const spend = await spendByClient(h.dataDir);
    expect(spend.groups.map((g) => g.key)).toEqual([TOKEN_NAME]);
    const group = spend.groups[0]!;
    expect(group.requests).toBe(ledgerRows(h.dataDir).length);
    expect(group.requests).toBeGreaterThanOrEqual(6);
    expect(group.costUsd).toBeGreaterThan(0);
    expect((await h.app.services.port.requests(500)).filter((e) => e.status !== 'ok')).toEqual([]);
    expect(sb.trap.attempts).toEqual([]);
  });
});
