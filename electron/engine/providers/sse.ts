// Reads a server-sent-events body as an async stream of `data` payloads (eventsource-parser does the
// framing, so events split at any byte boundary come out whole).
// Event-driven rather than an async generator over the stream's own iterator: on the port's hot path
// that chain cost several promises and a generator step per event; this costs one settled promise.
import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { Usage } from '../canonical/usage';
import type { PollableIterator } from '../pollable';

export interface SseEvent {
  event?: string;
  data: string;
  /** Set on events we produced by translation: the exact canonical usage (the JSON cannot carry cache writes). */
  usage?: Usage;
}

/**
 * For streams relayed as they are (the pass-through paths): what each event must look like, checked
 * without parsing it, and which event ends the protocol's stream, so that a clean close before that
 * event reads as a truncation, never as the end of a complete answer.
 */
export interface SseWatch {
  /** Throws (a typed error) when the event must not reach the client. */
  check(event: SseEvent): void;
  isTerminal(event: SseEvent): boolean;
  /** The error for a stream that closed cleanly before its terminal event. */
  truncated(): Error;
}

/** Events parsed ahead of the consumer before the body is paused (TCP then holds the upstream back). */
const HIGH_WATER_EVENTS = 64;

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

export class SseReader implements PollableIterator<SseEvent> {
  readonly #body: Readable;
  readonly #parser: EventSourceParser;
  // StringDecoder rather than TextDecoder: the same UTF-8 handling across chunk boundaries, without
  // setting up an ICU converter for every request.
  readonly #decoder = new StringDecoder('utf8');
  #queue: SseEvent[] = [];
  #head = 0;
  #ended = false;
  #error: unknown = undefined;
  #resolve: ((result: IteratorResult<SseEvent>) => void) | null = null;
  #reject: ((error: unknown) => void) | null = null;
  readonly #watch: SseWatch | undefined;
  #terminal = false;

  /** `scrub` sees each event before anyone else (the provider layer redacts keys from error events). */
  constructor(body: Readable, scrub?: (event: SseEvent) => SseEvent, watch?: SseWatch) {
    this.#body = body;
    this.#watch = watch;
    const onEvent = scrub
      ? (message: EventSourceMessage) => this.#push(scrub({ event: message.event, data: message.data }))
      : (message: EventSourceMessage) => this.#push({ event: message.event, data: message.data });
    this.#parser = createParser({ onEvent });
    body.on('data', (chunk: Uint8Array) => {
      this.#parser.feed(this.#decoder.write(chunk as Buffer));
      if (this.#queue.length - this.#head >= HIGH_WATER_EVENTS) body.pause();
    });
    body.once('end', () => {
      this.#parser.feed(this.#decoder.end());
      this.#finish(this.#watch && !this.#terminal ? this.#watch.truncated() : undefined);
    });
    body.once('error', (error) => this.#finish(error));
    // Destroyed without an error (our own destroy): ends like a stream that stopped early.
    body.once('close', () => this.#finish(this.#ended ? undefined : new Error('the upstream stream closed before its end')));
  }

  #push(event: SseEvent): void {
    if (this.#error !== undefined) return; // nothing after a failure reaches the consumer
    const watch = this.#watch;
    if (watch) {
      try {
        watch.check(event);
      } catch (error) {
        this.#finish(error);
        this.#body.destroy();
        return;
      }
      if (!this.#terminal) this.#terminal = watch.isTerminal(event);
    }
    const resolve = this.#resolve;
    if (resolve) {
      this.#resolve = this.#reject = null;
      resolve({ done: false, value: event });
    } else this.#queue.push(event);
  }

  #finish(error: unknown): void {
    if (this.#ended || this.#error !== undefined) return;
    if (error === undefined) this.#ended = true;
    else this.#error = error;
    const resolve = this.#resolve;
    const reject = this.#reject;
    if (!resolve) return;
    this.#resolve = this.#reject = null;
    if (error === undefined) resolve(DONE);
    else reject!(error);
  }

  /**
   * The next event if one is already parsed, else undefined (then next() waits for it, or reports the
   * end or the failure). Events of one upstream read are taken without a promise each.
   */
  poll(): SseEvent | undefined {
    if (this.#head === this.#queue.length) return undefined;
    const value = this.#queue[this.#head++]!;
    if (this.#head === this.#queue.length) {
      this.#queue.length = 0;
      this.#head = 0;
      if (this.#body.isPaused() && !this.#ended) this.#body.resume();
    }
    return value;
  }

  next(): Promise<IteratorResult<SseEvent>> {
    const queued = this.poll();
    if (queued !== undefined) return Promise.resolve({ done: false, value: queued });
    if (this.#error !== undefined) return Promise.reject(this.#error);
    if (this.#ended) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** The consumer stopped early: close the upstream body. */
  return(): Promise<IteratorResult<SseEvent>> {
    if (!this.#ended && this.#error === undefined) {
      this.#ended = true;
      this.#body.destroy();
    }
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

export const readSse = (body: Readable, scrub?: (event: SseEvent) => SseEvent, watch?: SseWatch): SseReader =>
  new SseReader(body, scrub, watch);
