// Folds a reply's stream events into one canonical response (for clients that did not ask to
// stream: translated requests always stream upstream, so each protocol has one parser).
import type { CanonicalResponse, Part, StreamEvent } from './types';
import type { Usage } from './usage';

export class ResponseAccumulator {
  id = '';
  model = '';
  private readonly parts: Part[] = [];
  private readonly calls = new Map<number, Extract<Part, { type: 'tool_call' }>>();
  private finish: CanonicalResponse['finishReason'] = 'stop';
  private stopSequence?: string;
  usage: Usage | null = null;

  private last(): Part | undefined {
    return this.parts[this.parts.length - 1];
  }

  add(e: StreamEvent): void {
    switch (e.type) {
      case 'start':
        this.id ||= e.id ?? '';
        this.model ||= e.model ?? '';
        break;
      case 'text': {
        const last = this.last();
        if (last?.type === 'text') last.text += e.text;
        else this.parts.push({ type: 'text', text: e.text });
        break;
      }
      case 'reasoning': {
        const last = this.last();
        if (last?.type === 'reasoning' && !last.signature) last.text += e.text;
        else this.parts.push({ type: 'reasoning', text: e.text });
        break;
      }
      case 'reasoning_signature': {
        const last = this.last();
        if (last?.type === 'reasoning') last.signature = e.signature;
        else this.parts.push({ type: 'reasoning', text: '', signature: e.signature });
        break;
      }
      case 'reasoning_redacted':
        this.parts.push({ type: 'reasoning', text: '', redacted: e.data });
        break;
      case 'tool_call_start': {
        const call = { type: 'tool_call' as const, id: e.id, name: e.name, arguments: '' };
        this.calls.set(e.index, call);
        this.parts.push(call);
        break;
      }
      case 'tool_call_delta': {
        const call = this.calls.get(e.index);
        if (call) call.arguments += e.arguments;
        break;
      }
      case 'finish':
        this.finish = e.reason;
        this.stopSequence = e.stopSequence;
        break;
      case 'usage':
        this.usage = e.usage;
        break;
    }
  }

  result(): CanonicalResponse {
    return {
      id: this.id,
      model: this.model,
      parts: this.parts,
      finishReason: this.finish,
      stopSequence: this.stopSequence,
      usage: this.usage,
    };
  }
}
