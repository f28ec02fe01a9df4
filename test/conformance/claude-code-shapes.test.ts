// The request shapes Claude Code 2.1.x sends to /v1/messages, on the port against each provider kind
// (so they are covered where the CLI itself cannot run): a `system` message inside the conversation,
// adaptive thinking with `output_config.effort`, `context_management`, a server tool, the beta header,
// and the `HEAD /api/hello` it warms its connection with.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicFake, type AnthropicFake } from '../fakes/anthropic-fake';
import { startGeminiFake, type GeminiFake } from '../fakes/gemini-fake';
import { startOllamaFake, type OllamaFake } from '../fakes/ollama-fake';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';

let an: AnthropicFake;
let oa: OpenAIFake;
let gm: GeminiFake;
let ol: OllamaFake;
let h: Harness;

const BETA =
  'claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27,mid-conversation-system-2026-04-07,effort-2025-11-24';
const MID_SYSTEM = '# Environment\nPrimary working directory: /tmp/project';

/** What Claude Code 2.1.x sends (trimmed): system blocks, a system turn after the first user turn, 2.1's thinking and effort fields. */
function claudeCodeBody(model: string, extra: Record<string, unknown> = {}) {
  return {
    model,
    max_tokens: 32000,
    stream: true,
    system: [
      { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.332;' },
      { type: 'text', text: 'You are a Claude agent.', cache_control: { type: 'ephemeral' } },
    ],
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: '<system-reminder>\nAttribution rules\n</system-reminder>\n' },
          { type: 'text', text: 'Say hi' },
        ],
      },
      { role: 'system', content: [{ type: 'text', text: MID_SYSTEM, cache_control: { type: 'ephemeral' } }] },
    ],
    tools: [
      {
        name: 'Read',
        description: 'Reads a file',
        input_schema: {
          type: 'object',
          properties: { file_path: { type: 'string' } },
          required: ['file_path'],
          additionalProperties: false,
          $schema: 'https://json-schema.org/draft/2020-12/schema',
        },
      },
      { name: 'DeferredToolPlaceholder', description: 'later', input_schema: { type: 'object', properties: {} }, defer_loading: true },
      { type: 'web_search_20250305', name: 'web_search', max_uses: 5 },
    ],
    metadata: { user_id: '{"device_id":"abc","session_id":"s1"}' },
    thinking: { type: 'adaptive', display: 'omitted' },
    context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
    output_config: { effort: 'high' },
    ...extra,
  };
}

beforeAll(async () => {
  [an, oa, gm, ol] = await Promise.all([
    startAnthropicFake({ apiKey: 'k-an' }),
    startOpenAIFake({ scenario: true, apiKey: 'k-oa', models: ['gpt-5-mini'] }),
    startGeminiFake({ apiKey: 'k-gm' }),
    startOllamaFake(),
  ]);
  h = await startHarness(
    {
      providers: [
        { id: 'an', kind: 'anthropic', baseUrl: an.url, keys: [{ env: 'K_AN' }], models: [{ id: 'claude-sonnet-4-5' }] },
        { id: 'oa', kind: 'openai-compatible', baseUrl: oa.url, keys: [{ env: 'K_OA' }], models: [{ id: 'gpt-5-mini' }] },
        { id: 'gm', kind: 'gemini', baseUrl: gm.url, keys: [{ env: 'K_GM' }], models: [{ id: 'gemini-2.5-flash' }] },
        { id: 'ol', kind: 'ollama', baseUrl: ol.url, models: [{ id: 'llama3.2' }] },
      ],
      routes: [{ name: 'coding', targets: [{ provider: 'oa', model: 'gpt-5-mini' }] }],
      // What the Claude Code guide tells users: its own model names reach a route.
      aliases: [{ match: 'claude-*', to: 'coding' }],
    },
    { K_AN: 'k-an', K_OA: 'k-oa', K_GM: 'k-gm' },
    'claude-code',
  );
});

afterAll(async () => {
  await h?.close();
  await Promise.all([an, oa, gm, ol].map((f) => f?.close()));
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${h.baseUrl}/v1/messages?beta=true`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${h.token}`,
      'anthropic-version': '2023-06-01',
      'anthropic-beta': BETA,
      ...headers,
    },
    body: JSON.stringify(body),
  });

async function served(body: unknown): Promise<string> {
  const res = await post(body);
  const text = await res.text();
  expect(res.status, text).toBe(200);
  expect(text).toContain('event: message_stop');
  return text;
}

async function logEntry(model: string) {
  return (await h.app.services.port.requests(20)).find((e) => e.route === model || `${e.provider}/${e.model}` === model)!;
}

describe('Claude Code 2.1 request shapes', () => {
  it('passes a mid-conversation system message, the beta header and 2.1 fields through to Anthropic untouched', async () => {
    await served(claudeCodeBody('an/claude-sonnet-4-5'));
    const got = an.requests.at(-1)!;
    expect(got.headers['anthropic-beta']).toBe(BETA);
    expect(got.body.messages[1]).toEqual({
      role: 'system',
      content: [{ type: 'text', text: MID_SYSTEM, cache_control: { type: 'ephemeral' } }],
    });
    expect(got.body.thinking).toEqual({ type: 'adaptive', display: 'omitted' });
    expect(got.body.output_config).toEqual({ effort: 'high' });
    expect(got.body.context_management).toEqual({ edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] });
    expect(got.body.tools).toHaveLength(3);
    expect((await logEntry('an/claude-sonnet-4-5')).notes).toBeUndefined();
  });

  it('translates for OpenAI-protocol targets: the system message at its position, effort as reasoning_effort, Anthropic-only fields dropped and named in the request log', async () => {
    await served(claudeCodeBody('claude-opus-4-8'));
    const body = oa.requests.at(-1)!.body;
    expect(body.messages.map((m: any) => m.role)).toEqual(['system', 'user', 'system']);
    expect(body.messages[0].content).toContain('You are a Claude agent.');
    expect(body.messages[2]).toEqual({ role: 'system', content: MID_SYSTEM });
    expect(body.reasoning_effort).toBe('high');
    expect(body.tools.map((t: any) => t.function.name)).toEqual(['Read', 'DeferredToolPlaceholder']);
    for (const field of ['context_management', 'output_config', 'thinking', 'metadata']) expect(body).not.toHaveProperty(field);
    const entry = await logEntry('coding');
    expect(entry.status).toBe('ok');
    expect(entry.client).toBe('claude-code');
    expect(entry.notes).toEqual([
      "context_management dropped: only Anthropic's API serves it",
      "server tool web_search (web_search_20250305) dropped: only Anthropic's API runs it",
    ]);
  });

  it('keeps the system message in place for Gemini as a user turn marked as system, and maps effort to thinkingConfig', async () => {
    await served(claudeCodeBody('gm/gemini-2.5-flash'));
    const body = gm.requests.at(-1)!.body;
    expect(body.systemInstruction.parts[0].text).toContain('You are a Claude agent.');
    expect(body.systemInstruction.parts[0].text).not.toContain(MID_SYSTEM);
    expect(body.contents).toHaveLength(1);
    expect(body.contents[0].role).toBe('user');
    expect(body.contents[0].parts.map((p: any) => p.text)).toEqual([
      '<system-reminder>\nAttribution rules\n</system-reminder>\n',
      'Say hi',
      `<system>\n${MID_SYSTEM}\n</system>`,
    ]);
    expect(body.generationConfig.thinkingConfig).toEqual({ thinkingBudget: 24576, includeThoughts: true });
    expect((await logEntry('gm/gemini-2.5-flash')).notes).toHaveLength(2);
  });

  it('sends Ollama the system message at its position', async () => {
    await served(claudeCodeBody('ol/llama3.2'));
    const body = ol.requests.at(-1)!.body;
    expect(body.messages.map((m: any) => m.role)).toEqual(['system', 'user', 'system']);
    expect(body.messages[2].content).toBe(MID_SYSTEM);
    expect(body.think).toBe('high');
  });

  it('keeps a system turn between a tool call and its result valid for every protocol', async () => {
    const messages = [
      { role: 'user', content: 'Read a.txt' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: 'a.txt' } }] },
      { role: 'system', content: 'The user changed permissions.' },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'hello' }] },
    ];
    const noThinking = { thinking: undefined, output_config: undefined };
    for (const model of ['an/claude-sonnet-4-5', 'oa/gpt-5-mini', 'gm/gemini-2.5-flash', 'ol/llama3.2'])
      await served(claudeCodeBody(model, { messages, ...noThinking }));
    const openai = oa.requests.at(-1)!.body.messages;
    expect(openai.slice(-3).map((m: any) => m.role)).toEqual(['assistant', 'tool', 'system']);
    const gemini = gm.requests.at(-1)!.body.contents.at(-1);
    expect(gemini.parts.map((p: any) => Object.keys(p)[0])).toEqual(['functionResponse', 'text']);
  });

  it('maps output_config.effort alone, and xhigh/max, onto the nearest reasoning effort; disabled thinking asks for none', async () => {
    await served(claudeCodeBody('oa/gpt-5-mini', { thinking: undefined, output_config: { effort: 'low' } }));
    expect(oa.requests.at(-1)!.body.reasoning_effort).toBe('low');
    await served(claudeCodeBody('oa/gpt-5-mini', { output_config: { effort: 'max' } }));
    expect(oa.requests.at(-1)!.body.reasoning_effort).toBe('high');
    await served(claudeCodeBody('oa/gpt-5-mini', { thinking: { type: 'disabled' }, output_config: { effort: 'high' } }));
    expect(oa.requests.at(-1)!.body).not.toHaveProperty('reasoning_effort');
  });

  it('answers the HEAD /api/hello connection warm-up with 200 and does not log it as a refusal', async () => {
    const before = (await h.app.services.port.requests(500)).length;
    const res = await fetch(`${h.baseUrl}/api/hello`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect((await h.app.services.port.requests(500)).length).toBe(before);
  });
});
