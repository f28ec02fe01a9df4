// Turns a `text/event-stream` body into the JSON values of its `data:` fields. eventsource-parser
// does the framing, because chunks may split a line (or a UTF-8 character) anywhere.
import { createParser } from 'eventsource-parser';

export async function* readSseJson(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  const pending: string[] = [];
  const parser = createParser({ onEvent: (event) => pending.push(event.data) });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      parser.feed(done ? decoder.decode() : decoder.decode(value, { stream: true }));
      while (pending.length > 0) {
        const data = pending.shift() as string;
        // Tolerate an OpenAI-style terminator even though our own bridge never sends one.
        if (data === '[DONE]') continue;
        yield JSON.parse(data) as unknown;
      }
      if (done) return;
    }
  } finally {
    // Leaving early (break, abort, throw) must release the connection, not leave it half-read.
    await reader.cancel().catch(() => undefined);
  }
}
