// OpenAI chat-completion chunks <-> canonical stream events, and the non-streaming response body.
// Reading accepts the reasoning fields vendors use (`reasoning_content`: DeepSeek, xAI; `reasoning`:
// OpenRouter, Groq, vLLM).
import { UpstreamStreamError } from '../../canonical/errors';
import { partsText, type CanonicalResponse, type FinishReason, type StreamEvent } from '../../canonical/types';
import { fromOpenAIUsage, toOpenAIUsage, type Usage } from '../../canonical/usage';

type Json = Record<string, any>;

const FINISH_IN: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
};

/** Turns one upstream chunk (parsed JSON) into canonical events. */
export class OpenAIEventReader {
  private started = false;
  private readonly seenCalls = new Set<number>();

  read(chunk: Json): StreamEvent[] {
    if (chunk.error) throw new UpstreamStreamError(chunk.error.message ?? JSON.stringify(chunk.error));
    const events: StreamEvent[] = [];
    if (!this.started) {
      this.started = true;
      events.push({ type: 'start', id: chunk.id, model: chunk.model });
    }
    const choice = chunk.choices?.[0];
    const delta = choice?.delta ?? choice?.message ?? {};
    const thinking = delta.reasoning_content ?? delta.reasoning;
    if (typeof thinking === 'string' && thinking) events.push({ type: 'reasoning', text: thinking });
    if (typeof delta.content === 'string' && delta.content) events.push({ type: 'text', text: delta.content });
    for (const c of (delta.tool_calls ?? []) as Json[]) {
      const index = typeof c.index === 'number' ? c.index : this.seenCalls.size;
      if (!this.seenCalls.has(index)) {
        this.seenCalls.add(index);
        events.push({ type: 'tool_call_start', index, id: String(c.id ?? `call_${index}`), name: String(c.function?.name ?? '') });
      }
      const args = c.function?.arguments;
      if (typeof args === 'string' && args) events.push({ type: 'tool_call_delta', index, arguments: args });
    }
    if (choice?.finish_reason) events.push({ type: 'finish', reason: FINISH_IN[choice.finish_reason] ?? 'stop' });
    if (chunk.usage) {
      const usage = fromOpenAIUsage(chunk.usage);
      if (usage) events.push({ type: 'usage', usage });
    }
    return events;
  }
}

const FINISH_OUT: Record<FinishReason, string> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  content_filter: 'content_filter',
  error: 'stop',
};

/** Writes canonical events as OpenAI chunks (JSON text), for OpenAI clients of translated upstreams. */
export class OpenAIChunkEncoder {
  private readonly created = Math.floor(Date.now() / 1000);
  private id: string;
  private started = false;
  private finish: FinishReason | null = null;
  usage: Usage | null = null;
  private readonly callIndex = new Map<number, number>();

  constructor(
    private model: string,
    id?: string,
  ) {
    this.id = id ?? `chatcmpl-${Math.random().toString(36).slice(2, 14)}`;
  }

  private chunk(delta: Json, finish: string | null = null): string {
    return JSON.stringify({
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    });
  }

  private opening(out: string[]): void {
    if (this.started) return;
    this.started = true;
    out.push(this.chunk({ role: 'assistant', content: '' }));
  }

  encode(e: StreamEvent): string[] {
    const out: string[] = [];
    switch (e.type) {
      case 'start':
        if (e.model) this.model = e.model;
        this.opening(out);
        break;
      case 'text':
        this.opening(out);
        out.push(this.chunk({ content: e.text }));
        break;
      case 'reasoning':
        this.opening(out);
        out.push(this.chunk({ reasoning_content: e.text }));
        break;
      case 'tool_call_start': {
        this.opening(out);
        const index = this.callIndex.size;
        this.callIndex.set(e.index, index);
        out.push(this.chunk({ tool_calls: [{ index, id: e.id, type: 'function', function: { name: e.name, arguments: '' } }] }));
        break;
      }
      case 'tool_call_delta':
        out.push(this.chunk({ tool_calls: [{ index: this.callIndex.get(e.index) ?? 0, function: { arguments: e.arguments } }] }));
        break;
      case 'finish':
        this.finish = e.reason;
        break;
      case 'usage':
        this.usage = e.usage;
        break;
      default:
        break; // signatures and redacted thinking have no place in an OpenAI stream
    }
    return out;
  }

  /** The closing chunks: finish reason, then the usage-only chunk (the caller hides it if not asked for). */
  end(): { chunks: string[]; usageChunk: string | null } {
    const chunks: string[] = [];
    this.opening(chunks);
    chunks.push(this.chunk({}, FINISH_OUT[this.finish ?? 'stop']));
    const usageChunk = this.usage
      ? JSON.stringify({
          id: this.id,
          object: 'chat.completion.chunk',
          created: this.created,
          model: this.model,
          choices: [],
          usage: toOpenAIUsage(this.usage),
        })
      : null;
    return { chunks, usageChunk };
  }
}

export function openAIResponseBody(r: CanonicalResponse): Json {
  const text = partsText(r.parts, 'text');
  const thinking = partsText(r.parts, 'reasoning');
  const calls = r.parts
    .filter((p) => p.type === 'tool_call')
    .map((p) => {
      const c = p as { id: string; name: string; arguments: string };
      return { id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments || '{}' } };
    });
  const message: Json = { role: 'assistant', content: text || null, refusal: null };
  if (thinking) message.reasoning_content = thinking;
  if (calls.length) message.tool_calls = calls;
  const body: Json = {
    id: r.id || `chatcmpl-${Math.random().toString(36).slice(2, 14)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: r.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: FINISH_OUT[r.finishReason] }],
  };
  if (r.usage) body.usage = toOpenAIUsage(r.usage);
  return body;
}
