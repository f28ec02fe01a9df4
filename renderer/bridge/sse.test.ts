// The SSE reader must survive any chunking: split lines, split UTF-8 characters, several events per chunk.
import { describe, expect, it } from 'vitest';
import { readSseJson } from './sse';

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
}

async function collect(body: ReadableStream<Uint8Array>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const value of readSseJson(body)) out.push(value);
  return out;
}

const events = [
  { type: 'delta', text: 'Héllo ' },
  { type: 'delta', text: 'wörld 🌍' },
  { type: 'done', provider: 'acme', model: 'm1', usage: { inputTokens: 3, outputTokens: 2 }, costUsd: null, ttftMs: 5, attempts: 1 },
];
const wire = new TextEncoder().encode(events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join(''));

describe('readSseJson', () => {
  it('reads events delivered in one chunk', async () => {
    expect(await collect(streamOf([wire]))).toEqual(events);
  });

  it('reads events split at every byte', async () => {
    const bytes = Array.from(wire, (b) => Uint8Array.of(b));
    expect(await collect(streamOf(bytes))).toEqual(events);
  });

  it('handles CRLF framing, comments and a trailing [DONE]', async () => {
    const text = `: keep-alive\r\ndata: {"type":"delta","text":"a"}\r\n\r\ndata: [DONE]\r\n\r\n`;
    expect(await collect(streamOf([new TextEncoder().encode(text)]))).toEqual([{ type: 'delta', text: 'a' }]);
  });

  it('cancels the body when the consumer stops early', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(wire);
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const value of readSseJson(body)) {
      expect(value).toEqual(events[0]);
      break;
    }
    expect(cancelled).toBe(true);
  });
});
