// Anthropic Messages stream events <-> canonical events, and the non-streaming message body.
// The encoder keeps Anthropic's block discipline: one open content block at a time, each started,
// delta'd and stopped, then message_delta (stop reason, usage) and message_stop.
import { UpstreamStreamError } from '../../canonical/errors';
import { argumentsValue, type CanonicalResponse, type FinishReason, type StreamEvent } from '../../canonical/types';
import { fromAnthropicUsage, toAnthropicUsage, type Usage } from '../../canonical/usage';

type Json = Record<string, any>;

const STOP_IN: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
  pause_turn: 'stop',
  model_context_window_exceeded: 'length',
};

/** Upstream Anthropic SSE (event name + JSON data) -> canonical events. */
export class AnthropicEventReader {
  private usage: Json = {};

  read(name: string | undefined, e: Json): StreamEvent[] {
    const type = e.type ?? name;
    switch (type) {
      case 'message_start':
        this.usage = { ...e.message?.usage };
        return [{ type: 'start', id: e.message?.id, model: e.message?.model }];
      case 'content_block_start': {
        const b = e.content_block ?? {};
        if (b.type === 'tool_use' || b.type === 'server_tool_use')
          return [{ type: 'tool_call_start', index: e.index, id: b.id, name: b.name }];
        if (b.type === 'text' && b.text) return [{ type: 'text', text: b.text }];
        if (b.type === 'thinking' && b.thinking) return [{ type: 'reasoning', text: b.thinking }];
        if (b.type === 'redacted_thinking') return [{ type: 'reasoning_redacted', data: b.data }];
        return [];
      }
      case 'content_block_delta': {
        const d = e.delta ?? {};
        if (d.type === 'text_delta') return [{ type: 'text', text: d.text }];
        if (d.type === 'input_json_delta')
          return d.partial_json ? [{ type: 'tool_call_delta', index: e.index, arguments: d.partial_json }] : [];
        if (d.type === 'thinking_delta') return [{ type: 'reasoning', text: d.thinking }];
        if (d.type === 'signature_delta') return [{ type: 'reasoning_signature', signature: d.signature }];
        return [];
      }
      case 'message_delta': {
        // Counters in message_delta are cumulative totals: overwrite, never add.
        for (const [k, v] of Object.entries(e.usage ?? {})) if (typeof v === 'number') this.usage[k] = v;
        const reason = e.delta?.stop_reason;
        return reason ? [{ type: 'finish', reason: STOP_IN[reason] ?? 'stop', stopSequence: e.delta?.stop_sequence ?? undefined }] : [];
      }
      case 'message_stop': {
        const usage = fromAnthropicUsage(this.usage);
        return usage ? [{ type: 'usage', usage }] : [];
      }
      case 'error':
        throw new UpstreamStreamError(`${e.error?.type ?? 'error'}: ${e.error?.message ?? ''}`);
      default:
        return []; // ping and future event types
    }
  }
}

const STOP_OUT: Record<FinishReason, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
  error: 'end_turn',
};

export interface AnthropicFrame {
  event: string;
  data: string;
  usage?: Usage;
}

type Block = 'text' | 'thinking' | 'tool_use' | null;

/** Canonical events -> Anthropic SSE frames, for Anthropic clients of translated upstreams. */
export class AnthropicFrameEncoder {
  private started = false;
  private index = -1;
  private open: Block = null;
  private finish: FinishReason | null = null;
  private stopSequence: string | null = null;
  usage: Usage | null = null;
  private readonly blockOfCall = new Map<number, number>();

  constructor(
    private model: string,
    private readonly id = `msg_${Math.random().toString(36).slice(2, 18)}`,
  ) {}

  private frame(out: AnthropicFrame[], data: Json): void {
    out.push({ event: data.type, data: JSON.stringify(data) });
  }

  private begin(out: AnthropicFrame[]): void {
    if (this.started) return;
    this.started = true;
    this.frame(out, {
      type: 'message_start',
      message: {
        id: this.id,
        type: 'message',
        role: 'assistant',
        model: this.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 0, output_tokens: 0 },
      },
    });
  }

  private close(out: AnthropicFrame[]): void {
    if (this.open === null) return;
    this.frame(out, { type: 'content_block_stop', index: this.index });
    this.open = null;
  }

  private openBlock(out: AnthropicFrame[], kind: Exclude<Block, null>, block: Json): void {
    this.close(out);
    this.index++;
    this.open = kind;
    this.frame(out, { type: 'content_block_start', index: this.index, content_block: block });
  }

  encode(e: StreamEvent): AnthropicFrame[] {
    const out: AnthropicFrame[] = [];
    if (e.type === 'start' && e.model && !this.started) this.model = e.model;
    this.begin(out);
    switch (e.type) {
      case 'text':
        if (this.open !== 'text') this.openBlock(out, 'text', { type: 'text', text: '' });
        this.frame(out, { type: 'content_block_delta', index: this.index, delta: { type: 'text_delta', text: e.text } });
        break;
      case 'reasoning':
        if (this.open !== 'thinking') this.openBlock(out, 'thinking', { type: 'thinking', thinking: '' });
        this.frame(out, { type: 'content_block_delta', index: this.index, delta: { type: 'thinking_delta', thinking: e.text } });
        break;
      case 'reasoning_signature':
        if (this.open !== 'thinking') this.openBlock(out, 'thinking', { type: 'thinking', thinking: '' });
        this.frame(out, { type: 'content_block_delta', index: this.index, delta: { type: 'signature_delta', signature: e.signature } });
        this.close(out);
        break;
      case 'reasoning_redacted':
        this.close(out);
        this.index++;
        this.frame(out, { type: 'content_block_start', index: this.index, content_block: { type: 'redacted_thinking', data: e.data } });
        this.frame(out, { type: 'content_block_stop', index: this.index });
        break;
      case 'tool_call_start':
        this.openBlock(out, 'tool_use', { type: 'tool_use', id: e.id, name: e.name, input: {} });
        this.blockOfCall.set(e.index, this.index);
        break;
      case 'tool_call_delta':
        this.frame(out, {
          type: 'content_block_delta',
          index: this.blockOfCall.get(e.index) ?? this.index,
          delta: { type: 'input_json_delta', partial_json: e.arguments },
        });
        break;
      case 'finish':
        this.finish = e.reason;
        this.stopSequence = e.stopSequence ?? null;
        break;
      case 'usage':
        this.usage = e.usage;
        break;
      default:
        break;
    }
    return out;
  }

  /** Closes the open block and the message; the last frame carries the canonical usage for the ledger. */
  end(): AnthropicFrame[] {
    const out: AnthropicFrame[] = [];
    this.begin(out);
    this.close(out);
    const reason = this.stopSequence ? 'stop_sequence' : STOP_OUT[this.finish ?? 'stop'];
    const usage = toAnthropicUsage(
      this.usage ?? { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
    );
    this.frame(out, { type: 'message_delta', delta: { stop_reason: reason, stop_sequence: this.stopSequence }, usage });
    this.frame(out, { type: 'message_stop' });
    out[out.length - 1]!.usage = this.usage ?? undefined;
    return out;
  }
}

export function anthropicResponseBody(r: CanonicalResponse, fallbackModel: string): Json {
  const content: Json[] = [];
  for (const p of r.parts) {
    if (p.type === 'text') content.push({ type: 'text', text: p.text });
    else if (p.type === 'reasoning')
      content.push(
        p.redacted ? { type: 'redacted_thinking', data: p.redacted } : { type: 'thinking', thinking: p.text, signature: p.signature ?? '' },
      );
    else if (p.type === 'tool_call') content.push({ type: 'tool_use', id: p.id, name: p.name, input: argumentsValue(p.arguments) });
  }
  return {
    id: r.id && r.id.startsWith('msg_') ? r.id : `msg_${Math.random().toString(36).slice(2, 18)}`,
    type: 'message',
    role: 'assistant',
    model: r.model || fallbackModel,
    content,
    stop_reason: r.stopSequence ? 'stop_sequence' : STOP_OUT[r.finishReason],
    stop_sequence: r.stopSequence ?? null,
    usage: toAnthropicUsage(r.usage ?? { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 }),
  };
}
