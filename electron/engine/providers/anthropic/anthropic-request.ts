// Anthropic Messages request <-> canonical request: what Claude Code and the Anthropic SDK send,
// and the body an Anthropic upstream takes (thinking, cache_control, tool use, images).
import { effortFor, mergeTurns } from '../openai/openai-request';
import type { CanonicalRequest, Effort, Message, Part } from '../../canonical/types';
import { argumentsValue, nameToolResults, systemAsUserTurns } from '../../canonical/types';

type Json = Record<string, any>;

function blockText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return (content as Json[])
    .filter((b) => b?.type === 'text')
    .map((b) => String(b.text ?? ''))
    .join('\n');
}

function decodeImage(b: Json): Part | null {
  if (b.source?.type === 'base64') return { type: 'image', data: b.source.data, mediaType: b.source.media_type };
  if (b.source?.type === 'url') return { type: 'image', url: b.source.url };
  return null;
}

function decodeBlocks(content: unknown): Part[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) return [];
  const parts: Part[] = [];
  // Images inside tool results (Claude Code reading a screenshot) have no place in other vendors'
  // tool messages: they follow the results as user images instead of being lost.
  const resultImages: Part[] = [];
  for (const b of content as Json[]) {
    switch (b?.type) {
      case 'text':
        parts.push({ type: 'text', text: String(b.text ?? ''), ...(b.cache_control ? { cache: true } : {}) });
        break;
      case 'image': {
        const image = decodeImage(b);
        if (image) parts.push(image);
        break;
      }
      case 'tool_use':
        parts.push({ type: 'tool_call', id: String(b.id), name: String(b.name), arguments: JSON.stringify(b.input ?? {}) });
        break;
      case 'tool_result':
        parts.push({
          type: 'tool_result',
          toolCallId: String(b.tool_use_id),
          content: blockText(b.content),
          ...(b.is_error ? { isError: true } : {}),
        });
        if (Array.isArray(b.content))
          for (const inner of b.content as Json[])
            if (inner?.type === 'image') resultImages.push(...[decodeImage(inner)].filter((x): x is Part => x !== null));
        break;
      case 'thinking':
        parts.push({ type: 'reasoning', text: String(b.thinking ?? ''), signature: b.signature });
        break;
      case 'redacted_thinking':
        parts.push({ type: 'reasoning', text: '', redacted: b.data });
        break;
      default:
        break; // documents, server tool results: no counterpart elsewhere
    }
  }
  return resultImages.length ? [...parts, ...resultImages] : parts;
}

/** A system message inside `messages` (Claude Code sends them mid-conversation): its text, kept at its position. */
function decodeMessage(m: Json): Message {
  if (m.role === 'system') return { role: 'system', parts: decodeBlocks(m.content).filter((p) => p.type === 'text') };
  return { role: m.role === 'assistant' ? 'assistant' : 'user', parts: decodeBlocks(m.content) };
}

/** `output_config.effort` (Anthropic's low..max) as the nearest canonical effort. */
function decodeEffort(effort: unknown): Effort | undefined {
  if (effort === 'low' || effort === 'medium' || effort === 'high') return effort;
  if (effort === 'xhigh' || effort === 'max') return 'high';
  return undefined;
}

/** Thinking asked for: a budget (`enabled`), the model's choice at an effort (`adaptive`), or effort alone. */
function decodeReasoning(body: Json): CanonicalRequest['reasoning'] {
  const effort = decodeEffort(body.output_config?.effort);
  const thinking = body.thinking as Json | undefined;
  if (thinking?.type === 'enabled') return { budgetTokens: Number(thinking.budget_tokens) || 1024, ...(effort ? { effort } : {}) };
  if (thinking?.type === 'adaptive') return { effort: effort ?? 'medium' };
  if (thinking?.type !== 'disabled' && effort) return { effort };
  return undefined;
}

export function decodeAnthropicRequest(body: Json): CanonicalRequest {
  const messages: Message[] = ((body.messages ?? []) as Json[]).map(decodeMessage);
  const merged = mergeTurns(messages);
  nameToolResults(merged);
  const req: CanonicalRequest = { model: String(body.model), messages: merged, stream: body.stream === true };
  const system = blockText(body.system);
  if (system) req.system = system;
  if (Array.isArray(body.system) && (body.system as Json[]).some((b) => b?.cache_control)) req.systemCache = true;
  if (Array.isArray(body.tools)) {
    // Server tools (web search, code execution...) carry a `type` and no schema: only Anthropic runs them.
    req.tools = (body.tools as Json[])
      .filter((t) => t?.input_schema)
      .map((t) => ({ name: t.name, description: t.description, parameters: t.input_schema }));
  }
  const tc = body.tool_choice as Json | undefined;
  if (tc?.type === 'auto') req.toolChoice = 'auto';
  else if (tc?.type === 'any') req.toolChoice = 'required';
  else if (tc?.type === 'none') req.toolChoice = 'none';
  else if (tc?.type === 'tool' && tc.name) req.toolChoice = { name: tc.name };
  if (tc?.disable_parallel_tool_use === true) req.parallelToolCalls = false;
  if (typeof body.max_tokens === 'number') req.maxTokens = body.max_tokens;
  if (typeof body.temperature === 'number') req.temperature = body.temperature;
  if (typeof body.top_p === 'number') req.topP = body.top_p;
  if (typeof body.top_k === 'number') req.topK = body.top_k;
  if (Array.isArray(body.stop_sequences)) req.stop = body.stop_sequences.map(String);
  const reasoning = decodeReasoning(body);
  if (reasoning) req.reasoning = reasoning;
  // Structured outputs: `output_format` (beta) became `output_config.format`.
  const format = (body.output_config?.format ?? body.output_format) as Json | undefined;
  if (format?.type === 'json_schema' && format.schema) req.responseFormat = { type: 'json_schema', schema: format.schema };
  return req;
}

const DECODED_BLOCKS = new Set(['text', 'image', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking']);

/**
 * What a request asks for that only Anthropic's own API serves (context editing, server tools, MCP
 * servers, containers, document blocks...): translation for another protocol drops it, and these notes
 * name it in the request log. The rest of the request is still served.
 */
export function anthropicOnlyFields(body: Json): string[] {
  const notes: string[] = [];
  for (const field of ['context_management', 'mcp_servers', 'container']) {
    if (body[field] !== undefined && body[field] !== null) notes.push(`${field} dropped: only Anthropic's API serves it`);
  }
  for (const t of Array.isArray(body.tools) ? (body.tools as Json[]) : []) {
    if (t && !t.input_schema)
      notes.push(`server tool ${String(t.name ?? '?')} (${String(t.type ?? 'no type')}) dropped: only Anthropic's API runs it`);
  }
  const blocks = new Set<string>();
  for (const m of Array.isArray(body.messages) ? (body.messages as Json[]) : []) {
    for (const b of Array.isArray(m?.content) ? (m.content as Json[]) : [])
      if (b && !DECODED_BLOCKS.has(b.type)) blocks.add(String(b.type));
  }
  for (const type of blocks) notes.push(`content blocks of type ${type} dropped: no counterpart in this provider's protocol`);
  return notes;
}

const BUDGET_FOR_EFFORT = { minimal: 1024, low: 2048, medium: 8192, high: 24576 } as const;

/** Anthropic has no JSON mode: the shape is asked for in the system prompt instead. */
function jsonInstruction(req: CanonicalRequest): string {
  const f = req.responseFormat;
  if (!f) return '';
  if (f.type === 'json_object') return 'Respond with a single JSON object and nothing else.';
  return `Respond with a single JSON value matching this JSON Schema, and nothing else:\n${JSON.stringify(f.schema)}`;
}

function encodePart(p: Part): Json | null {
  switch (p.type) {
    case 'text':
      if (!p.text) return null; // Anthropic refuses empty text blocks
      return p.cache ? { type: 'text', text: p.text, cache_control: { type: 'ephemeral' } } : { type: 'text', text: p.text };
    case 'image':
      return p.data !== undefined
        ? { type: 'image', source: { type: 'base64', media_type: p.mediaType ?? 'image/png', data: p.data } }
        : { type: 'image', source: { type: 'url', url: p.url } };
    case 'tool_call':
      return { type: 'tool_use', id: p.id, name: p.name, input: argumentsValue(p.arguments) };
    case 'tool_result':
      return { type: 'tool_result', tool_use_id: p.toolCallId, content: p.content, ...(p.isError ? { is_error: true } : {}) };
    case 'reasoning':
      // Anthropic refuses thinking blocks it did not sign: unsigned thinking (from other vendors) is dropped.
      if (p.redacted) return { type: 'redacted_thinking', data: p.redacted };
      return p.signature ? { type: 'thinking', thinking: p.text, signature: p.signature } : null;
  }
}

/**
 * With thinking on, Anthropic wants every assistant tool-use turn to open with its signed thinking
 * block. Conversations that come from other dialects cannot carry that signature, so thinking is left
 * off for them rather than have the request refused.
 */
function unsignedToolTurn(req: CanonicalRequest): boolean {
  return req.messages.some(
    (m) =>
      m.role === 'assistant' &&
      m.parts.some((p) => p.type === 'tool_call') &&
      !m.parts.some((p) => p.type === 'reasoning' && (p.signature || p.redacted)),
  );
}

export function encodeAnthropicRequest(req: CanonicalRequest, model: string): Json {
  // Translated calls carry no beta header, so system messages inside the conversation go as marked user text.
  const messages = systemAsUserTurns(req.messages)
    .map((m) => {
      // Tool results must open a user turn (Anthropic checks they follow the tool_use turn directly).
      const parts =
        m.role === 'user'
          ? [...m.parts.filter((p) => p.type === 'tool_result'), ...m.parts.filter((p) => p.type !== 'tool_result')]
          : m.parts;
      return { role: m.role, content: parts.map(encodePart).filter((b): b is Json => b !== null) };
    })
    .filter((m) => m.content.length > 0);
  const budget =
    req.reasoning && !unsignedToolTurn(req)
      ? Math.max(1024, req.reasoning.budgetTokens ?? BUDGET_FOR_EFFORT[effortFor(req.reasoning) ?? 'medium'])
      : 0;
  const body: Json = { model, messages, max_tokens: req.maxTokens ?? (budget ? budget + 4096 : 4096), stream: true };
  const system = [req.system, jsonInstruction(req)].filter(Boolean).join('\n\n');
  if (system) body.system = req.systemCache ? [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }] : system;
  if (req.tools?.length) {
    body.tools = req.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters }));
    const c = req.toolChoice;
    const choice: Json | undefined =
      c === 'auto'
        ? { type: 'auto' }
        : c === 'required'
          ? { type: 'any' }
          : c === 'none'
            ? { type: 'none' }
            : c
              ? { type: 'tool', name: c.name }
              : undefined;
    if (req.parallelToolCalls === false)
      Object.assign((body.tool_choice = choice ?? { type: 'auto' }), { disable_parallel_tool_use: true });
    else if (choice) body.tool_choice = choice;
  }
  if (req.stop?.length) body.stop_sequences = req.stop;
  if (budget) {
    // Extended thinking needs max_tokens above the budget and refuses temperature/top_k changes.
    body.thinking = { type: 'enabled', budget_tokens: budget };
    if (body.max_tokens <= budget) body.max_tokens = budget + 1024;
  } else {
    if (req.temperature !== undefined) body.temperature = Math.min(1, req.temperature);
    if (req.topK !== undefined) body.top_k = req.topK;
    // Recent Claude models refuse temperature and top_p together; temperature is the one users mean.
    if (req.topP !== undefined && req.temperature === undefined) body.top_p = req.topP;
  }
  return body;
}
