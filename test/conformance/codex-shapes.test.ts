// The request shapes Codex CLI 0.169+ sends to /v1/responses (wire_api = "responses"), on the port with
// fetch, so they are covered where the CLI itself cannot run: `namespace` tool groups, the hosted
// `web_search` tool, developer-role inputs, `include`, `store: false`, `prompt_cache_key`,
// `client_metadata`; and a namespaced call answered with the name and namespace Codex dispatches on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicFake, type AnthropicFake } from '../fakes/anthropic-fake';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';

let oa: OpenAIFake;
let official: OpenAIFake;
let an: AnthropicFake;
let h: Harness;

const NS = 'multi_agent_v1';
const FLAT = `${NS}__close_agent`;
const BASE = 'You are a coding agent running in the Codex CLI.';
const PERMISSIONS = '<permissions instructions>sandbox: read-only</permissions instructions>';
const FINAL = 'Closed it.';

const params = (props: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  properties: props,
  required,
  additionalProperties: false,
});

/** What Codex 0.171 sends (trimmed): its tools, its instructions as developer inputs, its request options. */
function codexBody(model: string, input: unknown[] = [], extra: Record<string, unknown> = {}) {
  return {
    model,
    stream: true,
    input: [
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: BASE }] },
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: PERMISSIONS }] },
      {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: '<environment_context>\n  <cwd>/tmp/p</cwd>\n</environment_context>' }],
      },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Close agent a1.' }] },
      ...input,
    ],
    tools: [
      {
        type: 'function',
        name: 'exec_command',
        description: 'Runs a command in a PTY.',
        strict: false,
        parameters: params({ cmd: { type: 'string' } }, ['cmd']),
      },
      {
        type: 'namespace',
        name: NS,
        description: 'Tools for spawning and managing sub-agents.',
        tools: [
          {
            type: 'function',
            name: 'close_agent',
            description: 'Close an agent.',
            strict: false,
            parameters: params({ target: { type: 'string' } }, ['target']),
          },
          {
            type: 'function',
            name: 'wait_agent',
            description: 'Wait for agents.',
            strict: false,
            parameters: params({ targets: { type: 'array', items: { type: 'string' } } }, []),
          },
        ],
      },
      { type: 'web_search', external_web_access: false },
    ],
    tool_choice: 'auto',
    parallel_tool_calls: true,
    reasoning: { summary: 'auto' },
    store: false,
    include: ['reasoning.encrypted_content'],
    prompt_cache_key: '01a22995-0466-7762-a463-7ef9ff869cbb',
    client_metadata: { thread_id: '01a22995', 'x-codex-installation-id': '7188', turn_id: '01a22995-0481' },
    ...extra,
  };
}

/** The second turn: Codex's history with the namespaced call (name and namespace apart) and its output. */
const callHistory = (callId: string) => [
  { type: 'reasoning', summary: [], encrypted_content: null },
  { type: 'function_call', name: 'close_agent', namespace: NS, arguments: '{"target":"a1"}', call_id: callId },
  { type: 'function_call_output', call_id: callId, output: 'agent a1 closed' },
];

beforeAll(async () => {
  const script = [{ toolCall: { name: FLAT, args: { target: 'a1' } } }, { text: FINAL }];
  [oa, official, an] = await Promise.all([
    startOpenAIFake({ apiKey: 'k-oa', models: ['gpt-5-mini'], script }),
    startOpenAIFake({ apiKey: 'k-official', models: ['gpt-5.1'], scenario: true }),
    startAnthropicFake({ apiKey: 'k-an', models: ['claude-sonnet-4-5'], script }),
  ]);
  h = await startHarness(
    {
      providers: [
        { id: 'oa', kind: 'openai-compatible', baseUrl: oa.url, keys: [{ env: 'K_OA' }], models: [{ id: 'gpt-5-mini' }] },
        { id: 'openai', kind: 'openai', baseUrl: official.url, keys: [{ env: 'K_OFFICIAL' }], models: [{ id: 'gpt-5.1' }] },
        { id: 'an', kind: 'anthropic', baseUrl: an.url, keys: [{ env: 'K_AN' }], models: [{ id: 'claude-sonnet-4-5' }] },
      ],
      routes: [{ name: 'code', targets: [{ provider: 'oa', model: 'gpt-5-mini' }] }],
    },
    { K_OA: 'k-oa', K_OFFICIAL: 'k-official', K_AN: 'k-an' },
    'codex',
  );
});

afterAll(async () => {
  await h?.close();
  await Promise.all([oa, official, an].map((f) => f?.close()));
});

const post = (body: unknown) =>
  fetch(`${h.baseUrl}/v1/responses`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${h.token}`,
      accept: 'text/event-stream',
      originator: 'codex_exec',
    },
    body: JSON.stringify(body),
  });

/** The stream's events (Codex reads each `data:` line's `type`), after checking it was served and completed. */
async function events(body: unknown): Promise<{ res: Response; events: any[] }> {
  const res = await post(body);
  const text = await res.text();
  expect(res.status, text).toBe(200);
  const parsed = text.split('\n\n').flatMap((frame) =>
    frame
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => JSON.parse(l.slice(6))),
  );
  expect(parsed.at(-1)?.type, text).toBe('response.completed');
  return { res, events: parsed };
}

const doneItems = (evs: any[]) => evs.filter((e) => e.type === 'response.output_item.done').map((e) => e.item);

async function logEntry(route: string) {
  return (await h.app.services.port.requests(20)).find((e) => e.route === route || `${e.provider}/${e.model}` === route)!;
}

describe('Codex CLI request shapes on /v1/responses', () => {
  it('serves the whole shape: namespaces flattened, web_search dropped and named, developer inputs in place, Codex-only fields left out', async () => {
    const { res, events: evs } = await events(codexBody('code'));
    expect(res.headers.get('x-switchboard-dropped-tools')).toBe('web_search');
    const sent = oa.requests.at(-1)!.body;
    expect(sent.tools.map((t: any) => t.function.name)).toEqual(['exec_command', FLAT, `${NS}__wait_agent`]);
    expect(sent.tools[1].function.description).toBe('Tools for spawning and managing sub-agents.\n\nClose an agent.');
    expect(sent.messages.map((m: any) => m.role)).toEqual(['system', 'system', 'user', 'user']);
    expect(sent.messages[1].content).toBe(PERMISSIONS);
    expect(sent).toMatchObject({ tool_choice: 'auto', parallel_tool_calls: true, stream: true });
    for (const field of ['store', 'include', 'client_metadata', 'prompt_cache_key', 'reasoning', 'input'])
      expect(sent).not.toHaveProperty(field);
    // The model called the flattened name; Codex gets the tool's own name and its namespace, which it dispatches on.
    const call = doneItems(evs).find((i) => i.type === 'function_call');
    expect(call).toMatchObject({ name: 'close_agent', namespace: NS, arguments: '{"target":"a1"}', status: 'completed' });
    expect(evs.find((e) => e.type === 'response.function_call_arguments.done')?.name).toBe('close_agent');
    const entry = await logEntry('code');
    expect(entry).toMatchObject({ status: 'ok', client: 'codex' });
    expect(entry.notes).toEqual([
      'hosted tool web_search dropped: /v1/responses is served through Chat Completions, which runs no hosted tools',
      'include reasoning.encrypted_content omitted: a translated target produces no encrypted reasoning',
    ]);
  });

  it('sends the namespaced call back under the flat name the model was offered, with its output as a tool message', async () => {
    const { events: evs } = await events(codexBody('code', callHistory('call_script_1')));
    const messages = oa.requests.at(-1)!.body.messages as any[];
    expect(messages.slice(-2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_script_1', type: 'function', function: { name: FLAT, arguments: '{"target":"a1"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_script_1', content: 'agent a1 closed' },
    ]);
    expect(doneItems(evs).find((i) => i.type === 'message')?.content[0].text).toBe(FINAL);
  });

  it('answers without streaming with the same function_call item', async () => {
    const res = await post(codexBody('code', [], { stream: false }));
    const json = (await res.json()) as any;
    expect(res.status, JSON.stringify(json)).toBe(200);
    expect(res.headers.get('x-switchboard-dropped-tools')).toBe('web_search');
    expect(json.output.find((i: any) => i.type === 'function_call')).toMatchObject({ name: 'close_agent', namespace: NS });
  });

  it('passes prompt_cache_key to an OpenAI target only', async () => {
    await events(codexBody('openai/gpt-5.1'));
    const sent = official.requests.at(-1)!.body;
    expect(sent.prompt_cache_key).toBe('01a22995-0466-7762-a463-7ef9ff869cbb');
    expect(sent).not.toHaveProperty('client_metadata');
    expect(sent).not.toHaveProperty('store');
  });

  it('translates the same shape for an Anthropic target, namespaced call and all', async () => {
    const first = await events(codexBody('an/claude-sonnet-4-5'));
    const sent = an.requests.at(-1)!.body;
    expect(sent.tools.map((t: any) => t.name)).toEqual(['exec_command', FLAT, `${NS}__wait_agent`]);
    expect(JSON.stringify(sent.system)).toContain(PERMISSIONS);
    expect(doneItems(first.events).find((i) => i.type === 'function_call')).toMatchObject({ name: 'close_agent', namespace: NS });
    const second = await events(codexBody('an/claude-sonnet-4-5', callHistory('toolu_script_1')));
    expect(doneItems(second.events).find((i) => i.type === 'message')?.content[0].text).toBe(FINAL);
    const blocks = (an.requests.at(-1)!.body.messages as any[]).flatMap((m) => (Array.isArray(m.content) ? m.content : []));
    expect(blocks.find((b) => b.type === 'tool_use')).toMatchObject({ name: FLAT, input: { target: 'a1' } });
    expect(blocks.find((b) => b.type === 'tool_result')).toMatchObject({ tool_use_id: 'toolu_script_1' });
  });

  it('refused none of it', async () => {
    const log = await h.app.services.port.requests(100);
    expect(log.length).toBeGreaterThanOrEqual(6);
    expect(log.filter((e) => e.status !== 'ok')).toEqual([]);
  });
});
