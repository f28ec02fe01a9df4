// What the pass-through paths check on each upstream event they relay as it is, without parsing it
// (parsing every chunk would cost the port's hot path microseconds per chunk): that it is shaped like
// a JSON object, and whether it is the protocol's terminal event, so that a stream cut short or
// turned to garbage after its first token ends in an error, never in a clean stop.
import { MalformedStreamError, StreamTruncatedError } from '../canonical/stream-errors';
import type { SseEvent, SseWatch } from './sse';

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * True when the text starts with `{` and ends with `}` (whitespace aside). Not a full JSON check, but
 * it catches what upstreams actually send: events cut short, HTML from a proxy, plain-text errors.
 */
export function jsonObjectShaped(text: string): boolean {
  let i = 0;
  let j = text.length - 1;
  while (i < j && isSpace(text.charCodeAt(i))) i++;
  while (j > i && isSpace(text.charCodeAt(j))) j--;
  return i < j && text.charCodeAt(i) === 123 /* { */ && text.charCodeAt(j) === 125; /* } */
}

/** True when `"finish_reason"` holds a string (not `null`), allowing for whitespace around the colon. */
export function hasFinishReason(data: string): boolean {
  let i = data.indexOf('"finish_reason"');
  while (i !== -1) {
    let j = i + 15;
    while (isSpace(data.charCodeAt(j))) j++;
    if (data.charCodeAt(j) === 58 /* : */) {
      j++;
      while (isSpace(data.charCodeAt(j))) j++;
      if (data.charCodeAt(j) === 34 /* " */) return true;
    }
    i = data.indexOf('"finish_reason"', i + 15);
  }
  return false;
}

/** OpenAI chat and legacy completion streams: JSON chunks, ended by a finish_reason or `[DONE]`. */
export const OPENAI_STREAM_WATCH: SseWatch = {
  check(event: SseEvent) {
    if (event.data !== '[DONE]' && !jsonObjectShaped(event.data)) throw new MalformedStreamError('OpenAI');
  },
  isTerminal: (event) => event.data === '[DONE]' || hasFinishReason(event.data),
  truncated: () => new StreamTruncatedError('OpenAI', 'a finish_reason or data: [DONE]'),
};

/** Anthropic messages streams: JSON events, ended by `message_stop` (or an `error` event, relayed as the end). */
export const ANTHROPIC_STREAM_WATCH: SseWatch = {
  check(event: SseEvent) {
    if (!jsonObjectShaped(event.data)) throw new MalformedStreamError('Anthropic');
  },
  isTerminal: (event) => event.event === 'message_stop' || event.event === 'error',
  truncated: () => new StreamTruncatedError('Anthropic', 'message_stop'),
};
