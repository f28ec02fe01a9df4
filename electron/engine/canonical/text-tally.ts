// Keeps the text of a streamed answer as it passes, cheaply, so its tokens can be counted once at the
// end (off the event loop) when the upstream reports no usage: no tokenizing and no parsing per chunk.
import type { StreamEvent } from './types';

/** Characters kept for counting; beyond this only their number is kept and the count is scaled up. */
export const KEPT_CHARS = 256 * 1024;
/** Pieces kept before they are joined into one string (bounds the array, frees the chunks they came from). */
const COMPACT_PIECES = 128;
/** A piece this long is copied out at once, so the (possibly huge) chunk it was cut from can be freed. */
const COPY_PIECE = 4096;

/** Text to count: `texts` as kept, plus `extraChars` seen beyond them (counted by their ratio). */
export interface TextSample {
  texts: string[];
  extraChars: number;
}

export class TextTally {
  private plain: string[] = [];
  // Pieces as they appear inside a JSON string literal (still escaped): unescaped once, at the end.
  private escaped: string[] = [];
  private kept = 0;
  private extra = 0;

  get empty(): boolean {
    return this.kept === 0 && this.extra === 0;
  }

  /** Characters seen (kept or not). */
  get chars(): number {
    return this.kept + this.extra;
  }

  add(text: string): void {
    const room = KEPT_CHARS - this.kept;
    if (text.length === 0) return;
    if (room <= 0) {
      this.extra += text.length;
      return;
    }
    const piece = text.length > room ? copyOf(text.slice(0, room)) : copyOf(text);
    this.extra += text.length - piece.length;
    this.kept += piece.length;
    this.push(this.plain, piece);
  }

  /** Adds the body of a JSON string literal as it sits in the raw event (escapes and all). */
  addEscaped(body: string): void {
    if (body.length === 0) return;
    if (body.length >= COPY_PIECE || this.kept + body.length > KEPT_CHARS) {
      this.add(unescape(body)); // rare: a big piece; its own fresh string
      return;
    }
    this.kept += body.length;
    this.push(this.escaped, body);
  }

  /** Adds what a canonical stream event says (text, thinking, tool-call arguments). */
  addEvent(e: StreamEvent): void {
    if (e.type === 'text' || e.type === 'reasoning') this.add(e.text);
    else if (e.type === 'tool_call_delta') this.add(e.arguments);
    else if (e.type === 'tool_call_start') this.add(e.name);
  }

  /** The kept text as plain strings, for counting. */
  sample(): TextSample {
    const texts = this.plain.length ? [this.plain.join('')] : [];
    if (this.escaped.length) texts.push(unescape(this.escaped.join('')));
    return { texts, extraChars: this.extra };
  }

  private push(parts: string[], piece: string): void {
    parts.push(piece);
    // join() of two or more pieces builds one flat string: the pieces (and the chunks they were sliced from) can go.
    if (parts.length >= COMPACT_PIECES) parts.splice(0, parts.length, parts.join(''));
  }
}

/**
 * A big piece as a string of its own: a slice would keep the whole chunk it was cut from alive.
 * (Flattening a concatenation copies; the result then refers only to that copy.)
 */
const copyOf = (s: string): string => (s.length < COPY_PIECE ? s : `${s}\u0000`.slice(0, -1));

function unescape(body: string): string {
  if (body.indexOf('\\') === -1) return body;
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return body; // a malformed escape: the raw text counts about the same
  }
}

// Keys whose string values are streamed text in OpenAI chat/legacy chunks and Anthropic deltas.
const OPENAI_KEYS = ['"content":"', '"reasoning_content":"', '"reasoning":"', '"arguments":"', '"text":"'];
const ANTHROPIC_KEYS = ['"text":"', '"thinking":"', '"partial_json":"'];
const DELTA = '"delta":{';

type OpenAIDelta = { content?: unknown; reasoning_content?: unknown; reasoning?: unknown; tool_calls?: unknown };

/** Adds the text of an OpenAI chunk already parsed (content, thinking, tool calls of every choice). */
export function tallyOpenAIDelta(tally: TextTally, chunk: { choices?: unknown }): void {
  if (!Array.isArray(chunk.choices)) return;
  for (const choice of chunk.choices as Array<{ delta?: OpenAIDelta; text?: unknown }>) {
    const d = choice?.delta;
    if (typeof choice?.text === 'string') tally.add(choice.text);
    if (!d) continue;
    for (const v of [d.content, d.reasoning_content, d.reasoning]) if (typeof v === 'string') tally.add(v);
    if (!Array.isArray(d.tool_calls)) continue;
    for (const call of d.tool_calls as Array<{ function?: { name?: unknown; arguments?: unknown } }>) {
      if (typeof call?.function?.name === 'string') tally.add(call.function.name);
      if (typeof call?.function?.arguments === 'string') tally.add(call.function.arguments);
    }
  }
}

/**
 * Taps the text of an OpenAI chunk from its raw JSON, without parsing it. The usual chunk has one key
 * right after `"delta":{`, so that is looked at first; only other chunks are searched further.
 */
export function tallyOpenAIChunk(tally: TextTally, data: string): void {
  const d = data.indexOf(DELTA);
  const from = d === -1 ? 0 : d + DELTA.length;
  if (d !== -1) {
    for (const key of OPENAI_KEYS) {
      if (data.startsWith(key, from)) return tallyString(tally, data, from + key.length);
    }
  }
  tallyKeys(tally, data, OPENAI_KEYS, from);
}

/** Taps the text of an Anthropic `content_block_delta` from its raw JSON, without parsing it (one kind per delta). */
export function tallyAnthropicDelta(tally: TextTally, data: string): void {
  for (const key of ANTHROPIC_KEYS) {
    const at = data.indexOf(key);
    if (at !== -1) return tallyString(tally, data, at + key.length);
  }
}

function tallyKeys(tally: TextTally, data: string, keys: readonly string[], from: number): void {
  for (const key of keys) {
    const at = data.indexOf(key, from);
    if (at !== -1) tallyString(tally, data, at + key.length);
  }
}

/** Adds the JSON string whose body starts at `start`. */
function tallyString(tally: TextTally, data: string, start: number): void {
  const end = closingQuote(data, start);
  if (end > start) tally.addEscaped(data.slice(start, end));
}

/** Index of the quote that ends the JSON string starting at `from` (-1 if none). */
function closingQuote(data: string, from: number): number {
  let i = data.indexOf('"', from);
  // Each pass moves past one escaped quote, so the loop ends within the string's length.
  while (i !== -1) {
    let slashes = 0;
    for (let j = i - 1; j >= from && data.charCodeAt(j) === 92; j--) slashes++;
    if (slashes % 2 === 0) return i;
    i = data.indexOf('"', i + 1);
  }
  return -1;
}
