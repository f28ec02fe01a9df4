// The real Claude Code CLI (the pinned @anthropic-ai/claude-code) against the port, configured from its
// setup guide: `claude -p` through failover routes whose first target answers 503, a tool round trip
// with one of its own tools (Read) on an Anthropic target and translated for an OpenAI-compatible one,
// its own model names through the guide's alias, and the spend attributed to its token.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicFake, type AnthropicFake } from '../fakes/anthropic-fake';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import type { ScriptStep } from '../fakes/scenario';
import { startHarness, type Harness } from '../support/engine-harness';
import {
  ensurePostinstall,
  fileAtLeast,
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

const PACKAGE = '@anthropic-ai/claude-code';
const BINARY = resolve(agentModules, PACKAGE, 'bin/claude.exe');
const TOKEN_NAME = 'claude-code';
const SECRET = 'the password is swordfish';
const FINAL = 'The file holds the password.';

// Claude Code's documented switches for everything it would otherwise send to Anthropic or npm.
const OFFLINE = {
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  DISABLE_TELEMETRY: '1',
  DISABLE_AUTOUPDATER: '1',
  DISABLE_ERROR_REPORTING: '1',
  DISABLE_BUG_COMMAND: '1',
  DISABLE_NON_ESSENTIAL_MODEL_CALLS: '1',
};

let sb: ClientSandbox;
let down: OpenAIFake;
let an: AnthropicFake;
let oa: OpenAIFake;
let h: Harness;
let file: string;

beforeAll(async () => {
  sb = await openSandbox('claude-code');
  await ensurePostinstall(PACKAGE, () => fileAtLeast(BINARY, 1_000_000), sb);
  file = join(sb.work, 'notes.txt');
  writeFileSync(file, `${SECRET}\n`);
  // Each conversation: call Claude Code's own Read tool on the file, then answer once its result is back.
  const script: ScriptStep[] = [{ toolCall: { name: 'Read', args: { file_path: file } } }, { text: FINAL }];
  [down, an, oa] = await Promise.all([
    startOpenAIFake({ models: ['m-down'], fault: { status: 503 } }),
    startAnthropicFake({ apiKey: 'k-an', models: ['claude-sonnet-4-5'], script }),
    startOpenAIFake({ apiKey: 'k-oa', models: ['gpt-5-mini'], script }),
  ]);
  h = await startHarness(
    {
      providers: [
        { id: 'down', kind: 'openai-compatible', baseUrl: down.url, keys: [{ env: 'K_DOWN' }], models: [{ id: 'm-down' }] },
        {
          id: 'an',
          kind: 'anthropic',
          baseUrl: an.url,
          keys: [{ env: 'K_AN' }],
          models: [{ id: 'claude-sonnet-4-5', price: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 } }],
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
          name: 'code-anthropic',
          targets: [
            { provider: 'down', model: 'm-down' },
            { provider: 'an', model: 'claude-sonnet-4-5' },
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
      // The alias the guide tells users to add, so Claude Code's own model names (claude-opus-…) reach a route.
      aliases: guideAliases('code-openai'),
      // The 503 target's breaker stays closed, so every conversation's first turn shows the failover.
      health: { failureThreshold: 1000 },
    },
    { K_DOWN: 'k-down', K_AN: 'k-an', K_OA: 'k-oa' },
    TOKEN_NAME,
  );
}, 180_000);

afterAll(async () => {
  await h?.close();
  await Promise.all([down, an, oa].map((f) => f?.close()));
  await sb?.close();
});

const guide = (model: string) => ({ baseUrl: h.baseUrl, token: h.token, model });

function guideAliases(route: string): unknown {
  const text = guideSteps('claude-code', { baseUrl: '', token: '', model: route }).join('\n');
  const json = /"aliases": (\[.*?\])`/.exec(text)?.[1];
  if (!json) throw new GuideMissingError('"claude-code" step with the claude-* alias');
  return JSON.parse(json);
}

async function claude(
  env: Record<string, string | undefined>,
  extraArgs: string[] = [],
): Promise<{ run: ClientRun; result: Record<string, any> }> {
  const run = await sb.run(
    BINARY,
    ['-p', 'What does notes.txt say?', '--output-format', 'json', '--allowedTools', 'Read', '--max-turns', '4', ...extraArgs],
    { env: { ...OFFLINE, ...env }, timeoutMs: 45_000 },
  );
  const diagnosis = `exit ${run.code}${run.timedOut ? ' (timed out)' : ''} after ${run.durationMs} ms\nstdout: ${run.stdout.slice(0, 2000)}\nstderr: ${run.stderr.slice(0, 2000)}`;
  expect(run.timedOut, diagnosis).toBe(false);
  expect(run.code, diagnosis).toBe(0);
  const result = JSON.parse(run.stdout) as Record<string, any>;
  expect(result.is_error, diagnosis).toBe(false);
  expect(result.result, diagnosis).toBe(FINAL);
  return { run, result };
}

/** The request of a fake's conversation that carried the Read result back (its second turn). */
const withToolResult = (bodies: any[]) => bodies.filter((b) => JSON.stringify(b?.messages ?? []).includes(SECRET));

const attempts = (row: LedgerRow) =>
  (JSON.parse(row.attempts) as Array<{ provider: string; status: number }>).map((a) => [a.provider, a.status]);

async function rowsSince(count: number) {
  await h.app.services.spend.summary({}); // flushes the ledger
  return ledgerRows(h.dataDir).slice(count);
}

describe(`Claude Code (${PACKAGE}) against the port`, () => {
  it("with the guide's shell variables: a Read round trip through a failover route to an Anthropic target", async () => {
    const before = ledgerRows(h.dataDir).length;
    await claude(shellExports(guideSnippet('claude-code', guide('code-anthropic'), 'shell')));
    const second = withToolResult(an.requests.map((r) => r.body));
    expect(second.length).toBeGreaterThan(0);
    const blocks = second[0].messages.flatMap((m: any) => (Array.isArray(m.content) ? m.content : []));
    const result = blocks.find((b: any) => b.type === 'tool_result');
    expect(result.tool_use_id).toBe('toolu_script_1');
    expect(JSON.stringify(result.content)).toContain(SECRET);
    // Passed through untouched: Claude Code's mid-conversation system turn and 2.1 fields reached Anthropic as sent.
    expect(an.requests.some((r) => r.body.messages.some((m: any) => m.role === 'system'))).toBe(true);
    expect(an.requests[0]!.body.thinking?.type).toBe('adaptive');
    const rows = await rowsSince(before);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(row).toMatchObject({ client: TOKEN_NAME, route: 'code-anthropic', provider: 'an', status: 'ok' });
    // The conversation's first turn failed over; its later turns stick to the target that served it.
    expect(attempts(rows[0]!)).toEqual([
      ['down', 503],
      ['an', 200],
    ]);
  }, 90_000);

  it("with the guide's ~/.claude/settings.json: the same round trip translated for an OpenAI-compatible target", async () => {
    const before = ledgerRows(h.dataDir).length;
    mkdirSync(join(sb.home, '.claude'), { recursive: true });
    writeFileSync(join(sb.home, '.claude/settings.json'), guideSnippet('claude-code', guide('code-openai'), '~/.claude/settings.json'));
    try {
      await claude({});
    } finally {
      writeFileSync(join(sb.home, '.claude/settings.json'), '{}\n');
    }
    const second = withToolResult(oa.requests.map((r) => r.body));
    expect(second.length).toBeGreaterThan(0);
    const messages = second[0].messages as any[];
    const call = messages.find((m) => m.role === 'assistant' && m.tool_calls)?.tool_calls[0];
    expect(call.function).toMatchObject({ name: 'Read' });
    const tool = messages.find((m) => m.role === 'tool');
    expect(tool.tool_call_id).toBe(call.id);
    expect(tool.content).toContain(SECRET);
    // Claude Code's system turn kept at its position, its effort as reasoning_effort, Anthropic-only fields gone.
    expect(messages.filter((m) => m.role === 'system').length).toBeGreaterThanOrEqual(2);
    expect(second[0].reasoning_effort).toBeDefined();
    expect(second[0]).not.toHaveProperty('context_management');
    const rows = await rowsSince(before);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(row).toMatchObject({ client: TOKEN_NAME, route: 'code-openai', provider: 'oa', status: 'ok' });
    expect(attempts(rows[0]!)).toEqual([
      ['down', 503],
      ['oa', 200],
    ]);
    const log = (await h.app.services.port.requests(10)).filter((e) => e.route === 'code-openai');
    expect(log[0]!.notes?.some((n) => n.startsWith('context_management dropped'))).toBe(true);
  }, 90_000);

  it("with no model set, Claude Code's own model name reaches a route through the guide's claude-* alias", async () => {
    const before = ledgerRows(h.dataDir).length;
    const env: Record<string, string | undefined> = shellExports(guideSnippet('claude-code', guide('unused'), 'shell'));
    for (const name of Object.keys(env)) if (name.endsWith('_MODEL')) env[name] = undefined;
    await claude(env);
    const rows = await rowsSince(before);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(row).toMatchObject({ client: TOKEN_NAME, route: 'code-openai', provider: 'oa', status: 'ok' });
  }, 90_000);

  it('with --model naming the route', async () => {
    const before = ledgerRows(h.dataDir).length;
    const env: Record<string, string | undefined> = shellExports(guideSnippet('claude-code', guide('code-anthropic'), 'shell'));
    env.ANTHROPIC_MODEL = undefined;
    await claude(env, ['--model', 'code-anthropic']);
    const rows = await rowsSince(before);
    expect(rows.filter((r) => r.route === 'code-anthropic').length).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it('is attributed to its own token in `switchboard spend --by client --json`, and reached nothing beyond loopback', async () => {
    await h.app.services.spend.summary({});
    const spend = await spendByClient(h.dataDir);
    expect(spend.groups.map((g) => g.key)).toEqual([TOKEN_NAME]);
    const group = spend.groups[0]!;
    expect(group.requests).toBe(ledgerRows(h.dataDir).length);
    expect(group.requests).toBeGreaterThanOrEqual(8);
    expect(group.costUsd).toBeGreaterThan(0);
    // Nothing Claude Code sent was refused (it falls back to a plainer request after a 400, hiding the bug).
    expect((await h.app.services.port.requests(500)).filter((e) => e.status !== 'ok')).toEqual([]);
    expect(sb.trap.attempts).toEqual([]);
  });
});
