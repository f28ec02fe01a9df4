// Ollama's /api/chat and /api/generate as a client dialect: its request -> canonical, and canonical
// events -> its NDJSON lines (tool calls are sent whole, as Ollama does, once their arguments are
// complete); /api/generate's lines carry `response` where /api/chat's carry `message`.
import type { CanonicalRequest, CanonicalResponse, Effort, FinishReason, Message, Part, StreamEvent } from '../../canonical/types';
import { argumentsValue, nameToolResults, partsText } from '../../canonical/types';
import { mergeTurns } from '../openai/openai-request';
import { totalInputTokens, type Usage } from '../../canonical/usage';
import { CallHoldingEncoder } from '../held-calls';

type Json = Record<string, any>;

/** Ollama sends bare base64 images: the media type comes from the first bytes. */
export function sniffImageType(b64: string): string {
  if (b64.startsWith('iVBOR')) return 'image/png';
  if (b64.startsWith('/9j/')) return 'image/jpeg';
  if (b64.startsWith('R0lG')) return 'image/gif';
  if (b64.startsWith('UklGR')) return 'image/webp';
  return 'image/png';
}

export function decodeOllamaRequest(body: Json): CanonicalRequest {
  const system: string[] = [];
  const messages: Message[] = [];
  let callSeq = 0;
  const pendingIds: string[] = [];
  for (const m of (body.messages ?? []) as Json[]) {
    if (m.role === 'system') {
      system.push(String(m.content ?? ''));
      continue;
    }
    if (m.role === 'tool') {
      // Ollama tool results name the tool, not the call: pair them with the calls in order.
      const id = pendingIds.shift() ?? `call_${callSeq++}`;
      messages.push({
        role: 'user',
        parts: [{ type: 'tool_result', toolCallId: id, name: m.tool_name ?? m.name, content: String(m.content ?? '') }],
      });
      continue;
    }
    const parts: Part[] = [];
    if (m.role === 'assistant' && typeof m.thinking === 'string' && m.thinking) parts.push({ type: 'reasoning', text: m.thinking });
    if (typeof m.content === 'string' && m.content) parts.push({ type: 'text', text: m.content });
    for (const img of (m.images ?? []) as string[]) parts.push({ type: 'image', data: img, mediaType: sniffImageType(img) });
    for (const c of (m.tool_calls ?? []) as Json[]) {
      const id = String(c.id ?? `call_${callSeq++}`);
      pendingIds.push(id);
      parts.push({ type: 'tool_call', id, name: String(c.function?.name ?? ''), arguments: JSON.stringify(c.function?.arguments ?? {}) });
    }
    messages.push({ role: m.role === 'assistant' ? 'assistant' : 'user', parts });
  }
  const merged = mergeTurns(messages);
  nameToolResults(merged);
  const req: CanonicalRequest = { model: String(body.model), messages: merged, stream: body.stream !== false };
  if (system.length) req.system = system.join('\n\n');
  if (Array.isArray(body.tools)) {
    req.tools = (body.tools as Json[])
      .filter((t) => t?.function?.name)
      .map((t) => ({
        name: t.function.name,
        description: t.function.description,
        parameters: t.function.parameters ?? { type: 'object', properties: {} },
      }));
  }
  if (body.format === 'json') req.responseFormat = { type: 'json_object' };
  else if (body.format && typeof body.format === 'object') req.responseFormat = { type: 'json_schema', schema: body.format };
  const o = (body.options ?? {}) as Json;
  if (typeof o.num_predict === 'number' && o.num_predict > 0) req.maxTokens = o.num_predict;
  if (typeof o.temperature === 'number') req.temperature = o.temperature;
  if (typeof o.top_p === 'number') req.topP = o.top_p;
  if (typeof o.top_k === 'number') req.topK = o.top_k;
  if (Array.isArray(o.stop)) req.stop = o.stop.map(String);
  if (body.think === true) req.reasoning = { effort: 'medium' };
  else if (typeof body.think === 'string') req.reasoning = { effort: body.think as Effort };
  return req;
}

const DONE_REASON: Record<FinishReason, string> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'stop',
  content_filter: 'stop',
  error: 'stop',
};

/** Which endpoint's answer shape: /api/chat (`message`) or /api/generate (`response`, and a `context`). */
export type OllamaShape = 'chat' | 'generate';

function doneFields(finish: FinishReason, usage: Usage | null, started: number, shape: OllamaShape): Json {
  const total = Math.round((performance.now() - started) * 1e6);
  return {
    done: true,
    done_reason: DONE_REASON[finish],
    // No token context is kept behind the port: an empty one, which clients send back harmlessly.
    ...(shape === 'generate' ? { context: [] } : {}),
    total_duration: total,
    load_duration: 0,
    prompt_eval_count: usage ? totalInputTokens(usage) : 0,
    prompt_eval_duration: 0,
    eval_count: usage?.outputTokens ?? 0,
    eval_duration: total,
  };
}

/** Canonical events -> Ollama NDJSON lines (without the newline). */
export class OllamaLineEncoder extends CallHoldingEncoder {
  private readonly started = performance.now();

  constructor(
    private readonly model: string,
    private readonly shape: OllamaShape = 'chat',
  ) {
    super();
  }

  private line(message: Json, extra: Json = { done: false }): string {
    return JSON.stringify({ model: this.model, created_at: new Date().toISOString(), ...answerFields(this.shape, message), ...extra });
  }

  encode(e: StreamEvent): string[] {
    if (e.type === 'text') return [this.line({ content: e.text })];
    if (e.type === 'reasoning') return [this.line({ thinking: e.text })];
    this.hold(e);
    return [];
  }

  end(): string[] {
    const out: string[] = [];
    if (this.calls.size) out.push(this.line({ tool_calls: [...this.calls.values()].map(toolCall) }));
    out.push(this.line({}, doneFields(this.finish, this.usage, this.started, this.shape)));
    return out;
  }
}

/** A line's answer: `message` for /api/chat; `response` (and `thinking`) for /api/generate, which has no tools. */
function answerFields(shape: OllamaShape, message: Json): Json {
  if (shape === 'chat') return { message: { role: 'assistant', content: '', ...message } };
  return { response: message.content ?? '', ...(message.thinking ? { thinking: message.thinking } : {}) };
}

const toolCall = (c: { name: string; args: string }): Json => ({ function: { name: c.name, arguments: argumentsValue(c.args) } });

export function ollamaResponseBody(r: CanonicalResponse, model: string, started: number, shape: OllamaShape = 'chat'): Json {
  const message: Json = {
    role: 'assistant',
    content: partsText(r.parts, 'text'),
  };
  const thinking = partsText(r.parts, 'reasoning');
  if (thinking) message.thinking = thinking;
  const calls = r.parts
    .filter((p) => p.type === 'tool_call')
    .map((p) => toolCall({ name: (p as { name: string }).name, args: (p as { arguments: string }).arguments }));
  if (calls.length) message.tool_calls = calls;
  return {
    model,
    created_at: new Date().toISOString(),
    ...answerFields(shape, message),
    ...doneFields(r.finishReason, r.usage, started, shape),
  };
}
