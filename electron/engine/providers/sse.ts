// Reads a server-sent-events body as an async stream of `data` payloads (eventsource-parser does the
// framing, so events split at any byte boundary come out whole).
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { Readable } from 'node:stream';
import type { Usage } from '../canonical/usage';

export interface SseEvent {
  event?: string;
  data: string;
  /** Set on events we produced by translation: the exact canonical usage (the JSON cannot carry cache writes). */
  usage?: Usage;
}

export async function* readSse(body: Readable): AsyncGenerator<SseEvent> {
  const queue: SseEvent[] = [];
  const parser = createParser({
    onEvent: (message: EventSourceMessage) => queue.push({ event: message.event, data: message.data }),
  });
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
    while (queue.length) yield queue.shift()!;
  }
  parser.feed(decoder.decode());
  while (queue.length) yield queue.shift()!;
}
