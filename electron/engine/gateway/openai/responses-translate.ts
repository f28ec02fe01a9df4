// Translates OpenAI's Responses API to and from a Chat Completions body, so /v1/responses reaches every
// provider the router can reach. Covers text, images, function and namespace tools (responses-tools.ts),
// tool results and JSON output; server-side state (previous_response_id) is refused with a clear message.
import { randomBytes } from 'node:crypto';
import { chatToolChoice, toolPlan, TranslationError, type ToolPlan, type ToolRef } from './responses-tools';

export { TranslationError };

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

/** A function_call_output's `output`: a string, or content items (text, and images a tool message cannot carry). */
function toolOutput(output: unknown): { text: string; images: Json[] } {
  if (typeof output === 'string') return { text: output, images: [] };
  if (!Array.isArray(output)) return { text: JSON.stringify(output ?? ''), images: [] };
  const texts: string[] = [];
  const images: Json[] = [];
  for (const part of output as Json[]) {
    if (part?.type === 'input_image' && typeof part.image_url === 'string')
      images.push({ type: 'image_url', image_url: { url: part.image_url } });
    else if (typeof part?.text === 'string') texts.push(part.text);
  }
  return { text: texts.join('\n'), images };
}

function translateInput(input: unknown, plan: ToolPlan): Json[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  if (!Array.isArray(input)) throw new TranslationError('`input` must be a string or an array of items');
  const messages: Json[] = [];
  // Images a tool returned (Codex's view_image) follow the run of tool messages as a user turn: chat
  // tool messages hold text only, and nothing may come between a tool call and its results.
  let toolImages: Json[] = [];
  const flushImages = () => {
    if (toolImages.length) messages.push({ role: 'user', content: toolImages });
    toolImages = [];
  };
  for (const item of input as Json[]) {
    if (!item || typeof item !== 'object') throw new TranslationError('every `input` item must be an object');
    const type = item.type ?? 'message';
    if (type !== 'function_call_output') flushImages();
    if (type === 'message') {
      const role = item.role === 'developer' ? 'system' : item.role;
      if (!['system', 'user', 'assistant'].includes(role))
        throw new TranslationError(`input message role "${String(item.role)}" is not one of user, assistant, system, developer`);
      messages.push({ role, content: contentParts(item.content, role) });
    } else if (type === 'function_call') {
      // A namespaced call (Codex sends `namespace` beside `name`) goes by the flat name the model was offered.
      const name = plan.flatName(
        String(item.name ?? ''),
        typeof item.namespace === 'string' && item.namespace ? item.namespace : undefined,
      );
      const call = { id: String(item.call_id ?? ''), type: 'function', function: { name, arguments: String(item.arguments ?? '') } };
      const last = messages[messages.length - 1];
      // Consecutive calls belong to one assistant turn (parallel tool calls).
      if (last?.role === 'assistant' && Array.isArray(last.tool_calls)) last.tool_calls.push(call);
      else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
    } else if (type === 'function_call_output') {
      const { text, images } = toolOutput(item.output);
      messages.push({ role: 'tool', tool_call_id: String(item.call_id ?? ''), content: text });
      toolImages.push(...images);
    } else if (type === 'reasoning') {
      continue; // reasoning items from earlier turns carry nothing a Chat Completions upstream can take
    } else throw new TranslationError(`input item type "${String(type)}" is not supported through the port`);
  }
  flushImages();
  return messages;
}

/**
 * The Chat Completions body for a Responses request. Throws TranslationError with a client-facing
 * message. Accepted and left out, having no chat counterpart: `store` (the port keeps nothing),
 * `include` (a translated target makes no encrypted reasoning), `client_metadata`, `text.verbosity`,
 * `reasoning.summary`; `prompt_cache_key` goes to OpenAI targets only (openAIOnlyFields).
 */
export function responsesToChat(body: Json): Json {
  if (typeof body.model !== 'string' || !body.model) throw new TranslationError('`model` must be a non-empty string');
  if (body.input === undefined) throw new TranslationError('`input` is required');
  if (body.previous_response_id)
    throw new TranslationError(
      '`previous_response_id` is not supported: the port keeps no conversation state, send the whole conversation in `input`',
    );
  if (body.stream !== undefined && typeof body.stream !== 'boolean') throw new TranslationError('`stream` must be a boolean');
  if (body.instructions !== undefined && body.instructions !== null && typeof body.instructions !== 'string')
    throw new TranslationError('`instructions` must be a string');
  const plan = toolPlan(body);
  const messages = translateInput(body.input, plan);
  if (body.instructions) messages.unshift({ role: 'system', content: body.instructions });
  const chat: Json = { model: body.model, messages };
  if (plan.tools.length > 0) chat.tools = plan.tools;
  const choice = chatToolChoice(body.tool_choice, plan);
  if (choice !== undefined) chat.tool_choice = choice;
  if (typeof body.max_output_tokens === 'number') chat.max_tokens = body.max_output_tokens;
  for (const k of ['temperature', 'top_p', 'user', 'seed'] as const) if (body[k] !== undefined && body[k] !== null) chat[k] = body[k];
  // Chat Completions refuses parallel_tool_calls without tools.
  if (typeof body.parallel_tool_calls === 'boolean' && plan.tools.length > 0) chat.parallel_tool_calls = body.parallel_tool_calls;
  const format = body.text?.format;
  if (format?.type === 'json_schema')
    chat.response_format = {
      type: 'json_schema',
      json_schema: {
        name: format.name ?? 'output',
        schema: format.schema,
        ...(format.strict !== undefined ? { strict: format.strict } : {}),
      },
    };
  else if (format?.type === 'json_object') chat.response_format = { type: 'json_object' };
  if (body.reasoning?.effort) chat.reasoning_effort = body.reasoning.effort;
  if (body.stream === true) chat.stream = true;
  return chat;
}

/** Fields only OpenAI's own API takes: sent to targets of kind `openai`, left out for the rest. */
export function openAIOnlyFields(body: Json): Json | undefined {
  return typeof body.prompt_cache_key === 'string' && body.prompt_cache_key ? { prompt_cache_key: body.prompt_cache_key } : undefined;
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
export function responseEnvelope(
  request: Json,
  id: string,
  createdAt: number,
  status: string,
  output: Json[],
  usage: Json | null,
  finishReason?: string | null,
): Json {
  const incomplete = finishReason === 'length' || finishReason === 'content_filter';
  return {
    id,
    object: 'response',
    created_at: createdAt,
    status: status === 'completed' && incomplete ? 'incomplete' : status,
    error: null,
    incomplete_details:
      status === 'completed' && incomplete ? { reason: finishReason === 'length' ? 'max_output_tokens' : 'content_filter' } : null,
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

/** A function_call output item; a namespaced tool's call carries its own name and the namespace, as OpenAI sends it. */
export const functionCallItem = (id: string, callId: string, tool: ToolRef, args: string, status: string): Json => ({
  type: 'function_call',
  id,
  call_id: callId,
  name: tool.name,
  ...(tool.namespace !== undefined ? { namespace: tool.namespace } : {}),
  arguments: args,
  status,
});

/** A complete chat.completion -> a complete Response. */
export function chatToResponse(request: Json, completion: Json): Json {
  const choice = completion.choices?.[0] ?? {};
  const message = choice.message ?? {};
  const output: Json[] = [];
  const text = typeof message.content === 'string' ? message.content : '';
  if (text || !Array.isArray(message.tool_calls) || message.tool_calls.length === 0)
    output.push(messageItem(newId('msg'), text, 'completed'));
  const plan = toolPlan(request);
  for (const call of (message.tool_calls ?? []) as Json[]) {
    output.push(
      functionCallItem(
        newId('fc'),
        call.id ?? newId('call'),
        plan.refOf(call.function?.name ?? ''),
        call.function?.arguments ?? '',
        'completed',
      ),
    );
  }
  return responseEnvelope(
    request,
    newId('resp'),
    completion.created ?? Math.floor(Date.now() / 1000),
    'completed',
    output,
    responsesUsage(completion.usage),
    choice.finish_reason,
  );
}
