// The pass-through stream checks (no parsing: JSON shape and terminal event) on real byte streams, and
// the NDJSON reader on lines split across many chunks.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MalformedStreamError, StreamTruncatedError } from '../canonical/stream-errors';
import { readNdjson } from './ollama/ndjson';
import { readSse, type SseEvent } from './sse';
import { hasFinishReason, jsonObjectShaped, OPENAI_STREAM_WATCH } from './stream-watch';

async function collect<T>(iter: AsyncIterable<T>): Promise<{ items: T[]; error: unknown }> {
  const items: T[] = [];
  try {
    for await (const item of iter) items.push(item);
    return { items, error: null };
  } catch (error) {
    return { items, error };
  }
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const openAIStream = (...frames: string[]) => readSse(Readable.from(frames.map((f) => Buffer.from(f))), undefined, OPENAI_STREAM_WATCH);

describe('stream checks without parsing', () => {
  it('finds a finish_reason only where it holds a string', () => {
    expect(hasFinishReason('{"choices":[{"delta":{},"finish_reason":"stop"}]}')).toBe(true);
    expect(hasFinishReason('{"choices":[{"finish_reason" : "length"}]}')).toBe(true);
    expect(hasFinishReason('{"choices":[{"delta":{"content":"x"},"finish_reason":null}]}')).toBe(false);
    expect(hasFinishReason(JSON.stringify({ choices: [{ delta: { content: '"finish_reason":"stop"' }, finish_reason: null }] }))).toBe(
      false,
    );
  });

  it('tells a JSON object from an event cut short or an HTML page', () => {
    expect(jsonObjectShaped('{}')).toBe(true);
    expect(jsonObjectShaped(' {"a":1}\r\n')).toBe(true);
    expect(jsonObjectShaped('{"choices":[{"delta":{"content":"gar')).toBe(false);
    expect(jsonObjectShaped('<html><body>Bad Gateway</body></html>')).toBe(false);
    expect(jsonObjectShaped('')).toBe(false);
  });
});

describe('readSse with a watch', () => {
  it('ends cleanly at [DONE], or at a finish_reason without one', async () => {
    expect((await collect(openAIStream(chunk({ content: 'a' }), chunk({}, 'stop'), 'data: [DONE]\n\n'))).error).toBeNull();
    expect((await collect(openAIStream(chunk({ content: 'a' }), chunk({}, 'stop')))).error).toBeNull();
  });

  it('turns a clean close before the terminal event into a truncation, after the events it did get', async () => {
    const { items, error } = await collect(openAIStream(chunk({ role: 'assistant' }), chunk({ content: 'a' })));
    expect(items).toHaveLength(2);
    expect(error).toBeInstanceOf(StreamTruncatedError);
  });

  it('never yields an event that is not JSON, nor anything after it', async () => {
    const { items, error } = await collect<SseEvent>(
      openAIStream(chunk({ content: 'a' }), 'data: {"choices":[{"delta":{"content":"gar\n\n', chunk({ content: 'b' }), 'data: [DONE]\n\n'),
    );
    expect(items.map((e) => e.data)).toEqual([chunk({ content: 'a' }).slice(6, -2)]);
    expect(error).toBeInstanceOf(MalformedStreamError);
  });
});

describe('readNdjson', () => {
  it('reads a line split byte by byte, and refuses a line that is not an object', async () => {
    const line = `${JSON.stringify({ message: { content: 'naïve ✓' }, done: true })}\n`;
    const bytes = Buffer.from(line + line);
    const pieces = Array.from(bytes, (b) => Buffer.from([b]));
    const { items, error } = await collect(readNdjson(Readable.from(pieces)));
    expect(error).toBeNull();
    expect(items).toEqual([JSON.parse(line), JSON.parse(line)]);
    expect((await collect(readNdjson(Readable.from([Buffer.from('null\n')])))).error).toBeInstanceOf(SyntaxError);
  });
});
