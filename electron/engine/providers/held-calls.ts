// What an encoder that sends tool calls whole (Gemini's and Ollama's answers to their clients) keeps of a
// canonical stream: the calls by index while their arguments arrive in pieces, the finish reason and the usage.
import type { FinishReason, StreamEvent } from '../canonical/types';
import type { Usage } from '../canonical/usage';

export interface HeldCall {
  id: string;
  name: string;
  /** The arguments' JSON text so far. */
  args: string;
}

export abstract class CallHoldingEncoder {
  /** The usage the upstream reported, once it has. */
  usage: Usage | null = null;
  protected finish: FinishReason = 'stop';
  protected readonly calls = new Map<number, HeldCall>();

  /** Keeps what the event says about calls, finish or usage; true when it was one of those (nothing to send yet). */
  protected hold(e: StreamEvent): boolean {
    switch (e.type) {
      case 'tool_call_start':
        this.calls.set(e.index, { id: e.id, name: e.name, args: '' });
        return true;
      case 'tool_call_delta': {
        const call = this.calls.get(e.index);
        if (call) call.args += e.arguments;
        return true;
      }
      case 'finish':
        this.finish = e.reason;
        return true;
      case 'usage':
        this.usage = e.usage;
        return true;
      default:
        return false;
    }
  }
}
