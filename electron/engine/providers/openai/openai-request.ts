// OpenAI Chat Completions request <-> canonical request: decoding what OpenAI clients send, and
// encoding a canonical request for OpenAI-protocol upstreams (OpenAI, Azure, compatible vendors).
import type { CanonicalRequest, Effort, Message, Part, ToolChoice } from '../../canonical/types';
import { nameToolResults, parseDataUrl, partsText } from '../../canonical/types';

type Json = Record<string, any>;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((p: Json) => (typeof p?.text === 'string' ? p.text : '')).join('');
}

function userParts(content: unknown): Part[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) return [];
  const parts: Part[] = [];
  for (const p of content as Json[]) {
    if (p?.type === 'text') parts.push({ type: 'text', text: String(p.text ?? ''), ...(p.cache_control ? { cache: true } : {}) });
    else if (p?.type === 'image_url') {
      const url = typeof p.image_url === 'string' ? p.image_url : String(p.image_url?.url ?? '');
      const inline = parseDataUrl(url);
      parts.push(inline ? { type: 'image', data: inline.data, mediaType: inline.mediaType } : { type: 'image', url });
    }
  }
  return parts;
}

/** Merges consecutive same-role messages: Anthropic and Gemini want turns to alternate. */
export function mergeTurns(messages: Message[]): Message[] {
  const out: Message[] = [];
  for (const m of messages) {
    const prev = out[out.length - 1];
    if (prev && prev.role === m.role) prev.parts.push(...m.parts);
    else out.push({ role: m.role, parts: [...m.parts] });
  }
  return out;
}

const EFFORTS = new Set(['minimal', 'low', 'medium', 'high']);

export function decodeOpenAIRequest(body: Json): CanonicalRequest {
  const system: string[] = [];
  let systemCache = false;
  const messages: Message[] = [];
  for (const m of (body.messages ?? []) as Json[]) {
    if (m.role === 'system' || m.role === 'developer') {
      system.push(textOf(m.content));
      // OpenRouter's convention: cache_control on a content part asks Anthropic to cache the prefix.
      if (Array.isArray(m.content) && (m.content as Json[]).some((p) => p?.cache_control)) systemCache = true;
    } else if (m.role === 'user') messages.push({ role: 'user', parts: userParts(m.content) });
    else if (m.role === 'tool')
      messages.push({
        role: 'user',
        parts: [{ type: 'tool_result', toolCallId: String(m.tool_call_id ?? ''), content: textOf(m.content) }],
      });
    else if (m.role === 'assistant') {
      const parts: Part[] = [];
      const thinking = m.reasoning_content ?? m.reasoning;
      if (typeof thinking === 'string' && thinking) parts.push({ type: 'reasoning', text: thinking });
      const text = textOf(m.content);
      if (text) parts.push({ type: 'text', text });
      for (const c of (m.tool_calls ?? []) as Json[])
        parts.push({
          type: 'tool_call',
          id: String(c.id ?? ''),
          name: String(c.function?.name ?? ''),
          arguments: String(c.function?.arguments ?? ''),
        });
      messages.push({ role: 'assistant', parts });
    }
  }
  const merged = mergeTurns(messages);
  nameToolResults(merged);
  const req: CanonicalRequest = { model: String(body.model), messages: merged, stream: body.stream === true };
  if (system.length) req.system = system.join('\n\n');
  if (systemCache) req.systemCache = true;
  if (Array.isArray(body.tools)) {
    req.tools = (body.tools as Json[])
      .filter((t) => t?.type === 'function' && t.function?.name)
      .map((t) => ({
        name: t.function.name,
        description: t.function.description,
        parameters: t.function.parameters ?? { type: 'object', properties: {} },
      }));
  }
  const tc = body.tool_choice as unknown;
  if (tc === 'auto' || tc === 'none' || tc === 'required') req.toolChoice = tc;
  else if (tc && typeof tc === 'object' && (tc as Json).function?.name) req.toolChoice = { name: (tc as Json).function.name };
  if (body.parallel_tool_calls === false) req.parallelToolCalls = false;
  const rf = body.response_format as Json | undefined;
  if (rf?.type === 'json_object') req.responseFormat = { type: 'json_object' };
  else if (rf?.type === 'json_schema' && rf.json_schema)
    req.responseFormat = {
      type: 'json_schema',
      name: rf.json_schema.name,
      schema: rf.json_schema.schema ?? {},
      strict: rf.json_schema.strict,
    };
  if (typeof body.stop === 'string') req.stop = [body.stop];
  else if (Array.isArray(body.stop)) req.stop = body.stop.map(String);
  const max = body.max_completion_tokens ?? body.max_tokens;
  if (typeof max === 'number') req.maxTokens = max;
  if (typeof body.temperature === 'number') req.temperature = body.temperature;
  if (typeof body.top_p === 'number') req.topP = body.top_p;
  if (typeof body.top_k === 'number') req.topK = body.top_k;
  const effort = body.reasoning_effort ?? body.reasoning?.effort;
  const budget = body.reasoning?.max_tokens ?? body.thinking?.budget_tokens;
  if (EFFORTS.has(effort) || typeof budget === 'number') {
    req.reasoning = {};
    if (EFFORTS.has(effort)) req.reasoning.effort = effort as Effort;
    if (typeof budget === 'number') req.reasoning.budgetTokens = budget;
  }
  return req;
}

/** A thinking budget expressed as the nearest OpenAI effort level. */
export function effortFor(r: CanonicalRequest['reasoning']): Effort | undefined {
  if (!r) return undefined;
  if (r.effort) return r.effort;
  const b = r.budgetTokens ?? 0;
  return b <= 2048 ? 'low' : b <= 12000 ? 'medium' : 'high';
}

function toolChoiceOut(c: ToolChoice): unknown {
  return typeof c === 'string' ? c : { type: 'function', function: { name: c.name } };
}

function encodeUser(parts: Part[], out: Json[]): void {
  const content: Json[] = [];
  for (const p of parts) {
    if (p.type === 'tool_result') out.push({ role: 'tool', tool_call_id: p.toolCallId, content: p.content });
    else if (p.type === 'text') content.push({ type: 'text', text: p.text });
    else if (p.type === 'image')
      content.push({
        type: 'image_url',
        image_url: { url: p.data !== undefined ? `data:${p.mediaType ?? 'image/png'};base64,${p.data}` : p.url },
      });
  }
  if (content.length === 0) return;
  const onlyText = content.every((c) => c.type === 'text');
  out.push({ role: 'user', content: onlyText ? content.map((c) => c.text).join('\n') : content });
}

export interface OpenAIEncodeOptions {
  /** OpenAI's own API wants max_completion_tokens (reasoning models refuse max_tokens). */
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
  /** Send thinking back as `reasoning_content` on assistant turns (DeepSeek refuses it; most ignore it). */
  echoReasoning?: boolean;
  /** OpenAI's reasoning models refuse sampling settings: drop them when reasoning is asked for. */
  noSamplingWithReasoning?: boolean;
}

export function encodeOpenAIRequest(req: CanonicalRequest, model: string, opts: OpenAIEncodeOptions): Json {
  const messages: Json[] = [];
  if (req.system) messages.push({ role: 'system', content: req.system });
  // A system message inside the conversation stays where the client put it, except between tool calls
  // and their results (OpenAI wants the results right after the calls): there it waits for the results.
  let held: Json[] = [];
  for (const m of req.messages) {
    if (m.role === 'user') {
      const start = messages.length;
      encodeUser(m.parts, messages);
      let afterResults = start;
      while (messages[afterResults]?.role === 'tool') afterResults++;
      messages.splice(afterResults, 0, ...held);
      held = [];
      continue;
    }
    if (m.role === 'system') {
      const text = m.parts
        .map((p) => (p.type === 'text' ? p.text : ''))
        .filter(Boolean)
        .join('\n');
      if (text) (messages.at(-1)?.tool_calls ? held : messages).push({ role: 'system', content: text });
      continue;
    }
    messages.push(...held);
    held = [];
    const text = partsText(m.parts, 'text');
    const calls = m.parts
      .filter((p) => p.type === 'tool_call')
      .map((p) => {
        const c = p as Extract<Part, { type: 'tool_call' }>;
        return { id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments || '{}' } };
      });
    const msg: Json = { role: 'assistant', content: text || null };
    if (calls.length) msg.tool_calls = calls;
    if (opts.echoReasoning) {
      const thinking = partsText(m.parts, 'reasoning');
      if (thinking) msg.reasoning_content = thinking;
    }
    messages.push(msg);
  }
  messages.push(...held);
  const body: Json = { model, messages, stream: true, stream_options: { include_usage: true } };
  if (req.tools?.length)
    body.tools = req.tools.map((t) => ({
      type: 'function',
      function: { name: t.name, description: t.description, parameters: t.parameters },
    }));
  if (req.toolChoice && req.tools?.length) body.tool_choice = toolChoiceOut(req.toolChoice);
  if (req.parallelToolCalls === false && req.tools?.length) body.parallel_tool_calls = false;
  if (req.responseFormat?.type === 'json_object') body.response_format = { type: 'json_object' };
  else if (req.responseFormat?.type === 'json_schema') {
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: req.responseFormat.name ?? 'response', schema: req.responseFormat.schema, strict: req.responseFormat.strict },
    };
  }
  if (req.stop?.length) body.stop = req.stop;
  if (req.maxTokens !== undefined) body[opts.maxTokensField] = req.maxTokens;
  const effort = effortFor(req.reasoning);
  if (!(effort && opts.noSamplingWithReasoning)) {
    if (req.temperature !== undefined) body.temperature = req.temperature;
    if (req.topP !== undefined) body.top_p = req.topP;
  }
  if (effort) body.reasoning_effort = effort;
  return body;
}
