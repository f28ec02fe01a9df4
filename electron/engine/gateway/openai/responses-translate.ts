// Translates OpenAI's Responses API to and from a Chat Completions body, so /v1/responses reaches every
// provider the router can reach. Covers text, images, function tools, tool results and JSON output;
// server-side state (previous_response_id) and hosted tools are refused with a clear message.
import { randomBytes } from 'node:crypto';

export class TranslationError extends Error {}

type Json = Record<string, any>;

export const newId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('hex')}`;

function contentParts(content: unknown, role: string): unknown {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw new TranslationError(`input message content must be a string or an array of parts`);
  const parts: Json[] = [];
  for (const part of content as Json[]) {
    const type = part?.type;
    if (type === 'input_text' || type === 'output_text' || type === 'text') parts.push({ type: 'text', text: String(part.text ?? '') });
    else if (type === 'refusal') parts.push({ type: 'text', text: String(part.refusal ?? '') });
    else if (type === 'input_image') {
      const url = typeof part.image_url === 'string' ? part.image_url : undefined;
      if (!url) throw new TranslationError('input_image needs an `image_url` (file ids are not supported through the port)');
      parts.push({ type: 'image_url', image_url: { url, ...(part.detail ? { detail: part.detail } : {}) } });
    } else throw new TranslationError(`content part type "${String(type)}" is not supported through the port`);
  }
  // Assistant turns and text-only turns go as plain strings: every OpenAI-compatible server accepts those.
  if (role === 'assistant' || parts.every((p) => p.type === 'text')) return parts.map((p) => p.text).join('');
  return parts;
}

function translateInput(input: unknown): Json[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  if (!Array.isArray(input)) throw new TranslationError('`input` must be a string or an array of items');
  const messages: Json[] = [];
  for (const item of input as Json[]) {
    if (!item || typeof item !== 'object') throw new TranslationError('every `input` item must be an object');
    const type = item.type ?? 'message';
    if (type === 'message') {
      const role = item.role === 'developer' ? 'system' : item.role;
      if (!['system', 'user', 'assistant'].includes(role)) throw new TranslationError(`input message role "${String(item.role)}" is not one of user, assistant, system, developer`);
      messages.push({ role, content: contentParts(item.content, role) });
    } else if (type === 'function_call') {
      const call = { id: String(item.call_id ?? ''), type: 'function', function: { name: String(item.name ?? ''), arguments: String(item.arguments ?? '') } };
      const last = messages[messages.length - 1];
      // Consecutive calls belong to one assistant turn (parallel tool calls).
      if (last?.role === 'assistant' && Array.isArray(last.tool_calls)) last.tool_calls.push(call);
      else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
    } else if (type === 'function_call_output') {
      messages.push({ role: 'tool', tool_call_id: String(item.call_id ?? ''), content: typeof item.output === 'string' ? item.output : JSON.stringify(item.output) });
    } else if (type === 'reasoning') {
      continue; // reasoning items from earlier turns carry nothing a Chat Completions upstream can take
    } else throw new TranslationError(`input item type "${String(type)}" is not supported through the port`);
  }
  return messages;
}

function translateTools(tools: unknown): Json[] | undefined {
  if (tools === undefined) return undefined;
  if (!Array.isArray(tools)) throw new TranslationError('`tools` must be an array');
  return (tools as Json[]).map((t) => {
    if (t?.type !== 'function') throw new TranslationError(`tool type "${String(t?.type)}" is not supported through the port (only function tools)`);
    if (typeof t.name !== 'string' || !t.name) throw new TranslationError('a function tool needs a `name`');
    return { type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters ?? { type: 'object', properties: {} }, ...(t.strict !== undefined ? { strict: t.strict } : {}) } };
  });
}

/** The Chat Completions body for a Responses request. Throws TranslationError with a client-facing message. */
export function responsesToChat(body: Json): Json {
  if (typeof body.model !== 'string' || !body.model) throw new TranslationError('`model` must be a non-empty string');
  if (body.input === undefined) throw new TranslationError('`input` is required');
  if (body.previous_response_id) throw new TranslationError('`previous_response_id` is not supported: the port keeps no conversation state, send the whole conversation in `input`');
  if (body.stream !== undefined && typeof body.stream !== 'boolean') throw new TranslationError('`stream` must be a boolean');
  if (body.instructions !== undefined && body.instructions !== null && typeof body.instructions !== 'string') throw new TranslationError('`instructions` must be a string');
  const messages = translateInput(body.input);
  if (body.instructions) messages.unshift({ role: 'system', content: body.instructions });
  const chat: Json = { model: body.model, messages };
  const tools = translateTools(body.tools);
  if (tools && tools.length > 0) chat.tools = tools;
  const choice = body.tool_choice;
  if (typeof choice === 'string') chat.tool_choice = choice;
  else if (choice?.type === 'function') chat.tool_choice = { type: 'function', function: { name: choice.name } };
  if (typeof body.max_output_tokens === 'number') chat.max_tokens = body.max_output_tokens;
  for (const k of ['temperature', 'top_p', 'parallel_tool_calls', 'user', 'seed'] as const) if (body[k] !== undefined && body[k] !== null) chat[k] = body[k];
  const format = body.text?.format;
  if (format?.type === 'json_schema') chat.response_format = { type: 'json_schema', json_schema: { name: format.name ?? 'output', schema: format.schema, ...(format.strict !== undefined ? { strict: format.strict } : {}) } };
  else if (format?.type === 'json_object') chat.response_format = { type: 'json_object' };
  if (body.reasoning?.effort) chat.reasoning_effort = body.reasoning.effort;
  if (body.stream === true) chat.stream = true;
  return chat;
}

/** Chat usage -> Responses usage. */
export function responsesUsage(u: Json | null | undefined): Json | null {
  if (!u) return null;
  const input = u.prompt_tokens ?? 0;
  const output = u.completion_tokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: u.prompt_tokens_details?.cached_tokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: u.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: u.total_tokens ?? input + output,
  };
}

/** The Response object around `output`, echoing the request's settings as OpenAI does. */
export function responseEnvelope(request: Json, id: string, createdAt: number, status: string, output: Json[], usage: Json | null, finishReason?: string | null): Json {
  const incomplete = finishReason === 'length' || finishReason === 'content_filter';
  return {
    id,
    object: 'response',
    created_at: createdAt,
    status: status === 'completed' && incomplete ? 'incomplete' : status,
    error: null,
    incomplete_details: status === 'completed' && incomplete ? { reason: finishReason === 'length' ? 'max_output_tokens' : 'content_filter' } : null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model: request.model,
    output,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: request.reasoning?.effort ?? null, summary: null },
    store: false,
    temperature: request.temperature ?? 1,
    text: { format: request.text?.format ?? { type: 'text' } },
    tool_choice: request.tool_choice ?? 'auto',
    tools: request.tools ?? [],
    top_p: request.top_p ?? 1,
    truncation: 'disabled',
    usage,
    user: request.user ?? null,
    metadata: request.metadata ?? {},
  };
}

export const messageItem = (id: string, text: string, status: string): Json => ({
  type: 'message',
  id,
  status,
  role: 'assistant',
  content: status === 'in_progress' ? [] : [{ type: 'output_text', text, annotations: [], logprobs: [] }],
});

export const functionCallItem = (id: string, callId: string, name: string, args: string, status: string): Json => ({
  type: 'function_call',
  id,
  call_id: callId,
  name,
  arguments: args,
  status,
});

/** A complete chat.completion -> a complete Response. */
export function chatToResponse(request: Json, completion: Json): Json {
  const choice = completion.choices?.[0] ?? {};
  const message = choice.message ?? {};
  const output: Json[] = [];
  const text = typeof message.content === 'string' ? message.content : '';
  if (text || !Array.isArray(message.tool_calls) || message.tool_calls.length === 0) output.push(messageItem(newId('msg'), text, 'completed'));
  for (const call of (message.tool_calls ?? []) as Json[]) {
    output.push(functionCallItem(newId('fc'), call.id ?? newId('call'), call.function?.name ?? '', call.function?.arguments ?? '', 'completed'));
  }
  return responseEnvelope(request, newId('resp'), completion.created ?? Math.floor(Date.now() / 1000), 'completed', output, responsesUsage(completion.usage), choice.finish_reason);
}
