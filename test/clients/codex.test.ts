// The real Codex CLI (the pinned @openai/codex, its native binary from the platform package) against the
// port, configured from its setup guide (`wire_api = "responses"`): `codex exec` through a failover route
// whose first target answers 503, a round trip with its own shell tool (exec_command) translated for a
// Chat Completions target, the hosted web_search tool it offers dropped and named, spend on its token.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import type { ScriptStep } from '../fakes/scenario';
import { startHarness, type Harness } from '../support/engine-harness';
import {
  binPath,
  ClientMissingError,
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

const PACKAGE = '@openai/codex';
// The npm package is a launcher; the program is the native binary its platform package ships.
const NATIVE = resolve(agentModules, '@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex');
const TOKEN_NAME = 'codex';
const ROUTE = 'code';
const SECRET = 'the password is swordfish';
const FINAL = 'The file holds the password.';
const NS_ROUTE = 'code-ns';
const NS_TOOL = 'multi_agent_v1__close_agent';

// Prepended (TOML wants root keys before tables) and appended to the guide's config: everything Codex
// would otherwise send beyond the port turned off: update checks, analytics, feedback uploads,
// telemetry, and the curated-plugin sync it runs at every start (git and HTTPS to GitHub, then ChatGPT).
const OFFLINE_ROOT = 'check_for_update_on_startup = false\n';
const OFFLINE_TABLES =
  '\n[analytics]\nenabled = false\n\n[feedback]\nenabled = false\n\n[otel]\nexporter = "none"\n\n[features]\nplugins = false\nremote_plugin = false\n';

let sb: ClientSandbox;
let down: OpenAIFake;
let oa: OpenAIFake;
let ns: OpenAIFake;
let h: Harness;
let codex: string;
/** The guide's shell lines: the token in the variable its config's env_key names. */
let env: Record<string, string> = {};

beforeAll(async () => {
  sb = await openSandbox('codex');
  codex = binPath('codex');
  if (process.platform === 'linux' && process.arch === 'x64' && !fileAtLeast(NATIVE, 1_000_000))
    throw new ClientMissingError(`${PACKAGE}'s native binary (its optional dependency @openai/codex-linux-x64) is missing`);
  writeFileSync(join(sb.work, 'notes.txt'), `${SECRET}\n`);
  // Each conversation: call Codex's own shell tool on the file, then answer once its output is back.
  const script: ScriptStep[] = [{ toolCall: { name: 'exec_command', args: { cmd: 'cat notes.txt' } } }, { text: FINAL }];
  // And one that calls a tool of a namespace Codex offers (its sub-agent tools), by the flat name it was offered.
  const nsScript: ScriptStep[] = [{ toolCall: { name: NS_TOOL, args: { target: 'no-such-agent' } } }, { text: FINAL }];
  [down, oa, ns] = await Promise.all([
    startOpenAIFake({ models: ['m-down'], fault: { status: 503 } }),
    startOpenAIFake({ apiKey: 'k-oa', models: ['gpt-5-mini'], script }),
    startOpenAIFake({ apiKey: 'k-ns', models: ['gpt-5-mini'], script: nsScript }),
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
          id: 'ns',
          kind: 'openai-compatible',
          baseUrl: ns.url,
          keys: [{ env: 'K_NS' }],
          models: [{ id: 'gpt-5-mini', price: { input: 1, output: 2, cacheRead: 0.1, cacheWrite: 1 } }],
        },
      ],
      routes: [
        {
          name: ROUTE,
          targets: [
            { provider: 'down', model: 'm-down' },
            { provider: 'oa', model: 'gpt-5-mini' },
          ],
        },
        { name: NS_ROUTE, targets: [{ provider: 'ns', model: 'gpt-5-mini' }] },
      ],
      // The 503 target's breaker stays closed, so every turn's first attempt shows the failover.
      health: { failureThreshold: 1000 },
    },
    { K_DOWN: 'k-down', K_OA: 'k-oa', K_NS: 'k-ns' },
    TOKEN_NAME,
  );
  const guide = { baseUrl: h.baseUrl, token: h.token, model: ROUTE };
  mkdirSync(join(sb.home, '.codex'), { recursive: true });
  writeFileSync(join(sb.home, '.codex/config.toml'), OFFLINE_ROOT + guideSnippet('codex', guide, '~/.codex/config.toml') + OFFLINE_TABLES);
  env = shellExports(guideSnippet('codex', guide, 'shell'));
}, 60_000);

afterAll(async () => {
  await h?.close();
  await Promise.all([down, oa, ns].map((f) => f?.close()));
  await sb?.close();
});

async function codexExec(prompt: string, args: string[] = []): Promise<{ run: ClientRun; last: string }> {
  const lastFile = join(sb.home, 'tmp', 'last-message.txt');
  const run = await sb.run(
    codex,
    ['exec', '--skip-git-repo-check', '--ephemeral', '--color', 'never', '--output-last-message', lastFile, ...args, prompt],
    { env, timeoutMs: 40_000 },
  );
  const diagnosis = `exit ${run.code}${run.timedOut ? ' (timed out)' : ''} after ${run.durationMs} ms\nstdout: ${run.stdout.slice(-3000)}\nstderr: ${run.stderr.slice(-3000)}`;
  expect(run.timedOut, diagnosis).toBe(false);
  expect(run.code, diagnosis).toBe(0);
  const last = readFileSync(lastFile, 'utf8').trim();
  expect(last, diagnosis).toBe(FINAL);
  return { run, last };
}

const attempts = (row: LedgerRow) =>
  (JSON.parse(row.attempts) as Array<{ provider: string; status: number }>).map((a) => [a.provider, a.status]);

describe(`Codex CLI (${PACKAGE}) against the port`, () => {
  it("with the guide's config.toml: an exec_command round trip through a failover route, web_search dropped and named", async () => {
    await codexExec('What does notes.txt say?');
    // The request that carried the shell tool's output back (the conversation's second turn).
    const second = oa.requests.map((r) => r.body).filter((b) => (b?.messages ?? []).some((m: any) => m.role === 'tool'));
    expect(second.length).toBeGreaterThan(0);
    const messages = second[0].messages as any[];
    const call = messages.find((m) => m.role === 'assistant' && m.tool_calls)?.tool_calls[0];
    expect(call.function).toMatchObject({ name: 'exec_command', arguments: '{"cmd":"cat notes.txt"}' });
    const tool = messages.find((m) => m.role === 'tool');
    expect(tool.tool_call_id).toBe(call.id);
    expect(tool.content).toContain(SECRET);
    // Codex's instructions arrive as developer inputs: system messages, at their position, before the user's turn.
    expect(messages[0].role).toBe('system');
    const first = oa.requests[0]!.body;
    const names = (first.tools as any[]).map((t) => t.function.name);
    expect(names).toContain('exec_command');
    // Codex groups its sub-agent tools in a namespace: offered flattened, Codex's own `ns__name` form.
    expect(names.some((n) => n.startsWith('multi_agent_v1__'))).toBe(true);
    for (const field of ['store', 'include', 'client_metadata', 'prompt_cache_key']) expect(first).not.toHaveProperty(field);

    await h.app.services.spend.summary({}); // flushes the ledger
    const rows = ledgerRows(h.dataDir);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(row).toMatchObject({ client: TOKEN_NAME, route: ROUTE, provider: 'oa', status: 'ok' });
    expect(attempts(rows[0]!)).toEqual([
      ['down', 503],
      ['oa', 200],
    ]);
    const log = (await h.app.services.port.requests(50)).filter((e) => e.path === '/v1/responses');
    expect(log.length).toBe(rows.length);
    for (const entry of log)
      expect(entry.notes).toContain(
        'hosted tool web_search dropped: /v1/responses is served through Chat Completions, which runs no hosted tools',
      );
  }, 60_000);

  it('dispatches a call of a namespaced tool: Codex gets the name and namespace apart, runs its own tool and sends the result back', async () => {
    await codexExec('Close the helper agent.', ['--model', NS_ROUTE]);
    const second = ns.requests.map((r) => r.body).filter((b) => (b?.messages ?? []).some((m: any) => m.role === 'tool'));
    expect(second.length).toBeGreaterThan(0);
    const messages = second[0].messages as any[];
    const call = messages.find((m) => m.role === 'assistant' && m.tool_calls)?.tool_calls[0];
    // Codex echoed the call with its namespace; the port gave the model back the flat name it offered.
    expect(call.function.name).toBe(NS_TOOL);
    const tool = messages.find((m) => m.role === 'tool');
    expect(tool.tool_call_id).toBe(call.id);
    // Its sub-agent handler ran (and refused the made-up id); without the namespace Codex answers `unsupported call: close_agent`.
    expect(tool.content).toContain('invalid agent id no-such-agent');
    expect(tool.content).not.toContain('unsupported call');
  }, 60_000);

  it('is attributed to its own token in `switchboard spend --by client --json`, refused nothing, and reached nothing beyond loopback', async () => {
    await h.app.services.spend.summary({});
    const spend = await spendByClient(h.dataDir);
    expect(spend.groups.map((g) => g.key)).toEqual([TOKEN_NAME]);
    const group = spend.groups[0]!;
    expect(group.requests).toBe(ledgerRows(h.dataDir).length);
    expect(group.requests).toBeGreaterThanOrEqual(2);
    expect(group.costUsd).toBeGreaterThan(0);
    // Nothing Codex sent was refused (before namespace tools and web_search were served, every request was a 400).
    expect((await h.app.services.port.requests(500)).filter((e) => e.status !== 'ok')).toEqual([]);
    expect(sb.trap.attempts).toEqual([]);
  });
});
