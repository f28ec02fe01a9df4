// Reads an OpenAI chat-completion stream event by event, tapping usage and text as it passes, so the
// bytes can go on to the client unchanged while the ledger learns what they cost.
import { fromOpenAIUsage, type Usage } from '../canonical/usage';
import type { SseEvent } from './sse';

export interface TappedChunk {
  /** The event's data, to forward as it is. */
  data: string;
  done: boolean;
  /** Set on the usage-only chunk (empty `choices`), which clients that did not ask for usage must not see. */
  usageOnly: boolean;
  /** Text (content or reasoning) this chunk adds. */
  text: string;
  /** Thinking text this chunk adds (`reasoning_content`, or OpenRouter's `reasoning`), apart from `text`. */
  reasoning?: string;
}

export class OpenAIStreamTap {
  usage: Usage | null = null;
  /** Content chunks seen, an output-token estimate for streams that end without usage. */
  chunksWithText = 0;

  read(event: SseEvent): TappedChunk {
    if (event.data === '[DONE]') return { data: event.data, done: true, usageOnly: false, text: '' };
    // Parsing every chunk costs microseconds; it is what lets the ledger be exact.
    const chunk = JSON.parse(event.data) as { choices?: Array<{ delta?: { content?: unknown; reasoning_content?: unknown; reasoning?: unknown } }>; usage?: unknown; error?: { message?: string } };
    if (chunk.error) throw new Error(`upstream stream error: ${chunk.error.message ?? 'unknown'}`);
    let usageOnly = false;
    if (chunk.usage) {
      this.usage = event.usage ?? fromOpenAIUsage(chunk.usage);
      usageOnly = !chunk.choices || chunk.choices.length === 0;
    }
    const delta = chunk.choices?.[0]?.delta;
    const text = typeof delta?.content === 'string' ? delta.content : '';
    const thought = typeof delta?.reasoning_content === 'string' ? delta.reasoning_content : typeof delta?.reasoning === 'string' ? delta.reasoning : '';
    if (text || thought) this.chunksWithText++;
    return thought ? { data: event.data, done: false, usageOnly, text, reasoning: thought } : { data: event.data, done: false, usageOnly, text };
  }

  /**
   * The pass-through path: decides whether the event goes on to the client (false only for the
   * usage-only chunk), taps usage and raises upstream errors, parsing JSON only for the few chunks that
   * carry usage or an error: text chunks pass as bytes.
   */
  skim(data: string): boolean {
    if (data === '[DONE]') return true;
    const hasUsage = hasUsageObject(data);
    if (!hasUsage && data.indexOf('"error"') === -1) {
      if (data.indexOf('"content":"') !== -1 && data.indexOf('"content":""') === -1) this.chunksWithText++;
      else if (data.indexOf('"reasoning_content":"') !== -1 || data.indexOf('"tool_calls"') !== -1) this.chunksWithText++;
      // Legacy completions carry their text in `choices[].text`.
      else if (data.indexOf('"text":"') !== -1 && data.indexOf('"text":""') === -1) this.chunksWithText++;
      return true;
    }
    return !this.read({ data }).usageOnly;
  }

  /** Usage as reported, or estimated from the chunks seen when the stream was cut short. */
  finalUsage(): Usage | null {
    if (this.usage) return this.usage;
    if (this.chunksWithText === 0) return null;
    return { inputTokens: 0, outputTokens: this.chunksWithText, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
  }
}

/** True when `"usage"` holds an object (not `null`), allowing for whitespace after the colon. */
function hasUsageObject(data: string): boolean {
  let i = data.indexOf('"usage"');
  while (i !== -1) {
    let j = i + 7;
    while (data.charCodeAt(j) === 32) j++;
    if (data.charCodeAt(j) === 58 /* : */) {
      j++;
      while (data.charCodeAt(j) === 32) j++;
      if (data.charCodeAt(j) === 123 /* { */) return true;
    }
    i = data.indexOf('"usage"', i + 7);
  }
  return false;
}
