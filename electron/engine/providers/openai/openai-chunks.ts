// Reads an OpenAI chat-completion stream event by event, tapping usage and text as it passes, so the
// bytes can go on to the client unchanged while the ledger learns what they cost.
import { UpstreamStreamError } from '../../canonical/errors';
import { tallyOpenAIChunk, tallyOpenAIDelta, TextTally } from '../../canonical/text-tally';
import { fromOpenAIUsage, type Usage } from '../../canonical/usage';
import type { SseEvent } from '../sse';

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
  /** The streamed text (content, thinking, tool-call arguments), counted at the end when no usage came. */
  readonly text = new TextTally();

  read(event: SseEvent): TappedChunk {
    if (event.data === '[DONE]') return { data: event.data, done: true, usageOnly: false, text: '' };
    // Parsing every chunk costs microseconds; it is what lets the ledger be exact.
    const chunk = JSON.parse(event.data) as {
      choices?: Array<{ delta?: { content?: unknown; reasoning_content?: unknown; reasoning?: unknown } }>;
      usage?: unknown;
      error?: { message?: string };
    };
    if (chunk.error) throw new UpstreamStreamError(chunk.error.message ?? 'unknown');
    let usageOnly = false;
    if (chunk.usage) {
      this.usage = event.usage ?? fromOpenAIUsage(chunk.usage);
      usageOnly = !chunk.choices || chunk.choices.length === 0;
    }
    const delta = chunk.choices?.[0]?.delta;
    const text = typeof delta?.content === 'string' ? delta.content : '';
    const thought =
      typeof delta?.reasoning_content === 'string' ? delta.reasoning_content : typeof delta?.reasoning === 'string' ? delta.reasoning : '';
    tallyOpenAIDelta(this.text, chunk);
    return thought
      ? { data: event.data, done: false, usageOnly, text, reasoning: thought }
      : { data: event.data, done: false, usageOnly, text };
  }

  /**
   * The pass-through path: decides whether the event goes on to the client (false only for the
   * usage-only chunk), taps usage and raises upstream errors, parsing JSON only for the few chunks that
   * carry usage or an error: text chunks pass as bytes. `exact` is the canonical usage a translated
   * stream carries beside its chunk (OpenAI's shape cannot hold everything priced, e.g. 1-hour cache writes).
   */
  skim(data: string, exact?: Usage): boolean {
    if (data === '[DONE]') return true;
    const hasUsage = hasUsageObject(data);
    if (!hasUsage && data.indexOf('"error"') === -1) {
      // The text is kept as it sits in the JSON (legacy completions' `choices[].text` too): no parse here.
      tallyOpenAIChunk(this.text, data);
      return true;
    }
    return !this.read(exact ? { data, usage: exact } : { data }).usageOnly;
  }

  /** Usage as reported (null when none came: the ledger then counts `text` and the prompt). */
  finalUsage(): Usage | null {
    return this.usage;
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
