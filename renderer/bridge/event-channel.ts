// Every stream of a browser page over one long-lived connection: a page may hold only six HTTP/1.1
// connections to the engine, so a connection per stream (six compare columns, a chat, the change feed)
// would leave its calls queued until a stream ends. The page opens one event channel (`/app/events`),
// starts and cancels streams with short POSTs, and sorts the channel's events by stream id
// (the wire is described in electron/engine/gateway/app-bridge.ts).
import type { RpcCall } from '../../shared/contract';
import { createEventQueue, type EventQueue } from './event-queue';
import { readSseJson } from './sse';
import { abortError } from './transport';

/** Posts a JSON body to a bridge path with the admin token. */
export type BridgePost = (path: string, body: unknown) => Promise<Response>;

/** How a refused or failed bridge response becomes the Error a caller sees. */
export type ErrorFrom = (response: Response) => Promise<Error>;

/** A stream on the channel: its events' queue, and whether the engine ended it (nothing left to cancel). */
interface Entry {
  queue: EventQueue<unknown>;
  ended: boolean;
}

interface OpenChannel {
  id: string;
  entries: Map<string, Entry>;
  /** Its connection ended: a stream registered now would never hear from it. */
  closed: boolean;
}

export const CHANNEL_LOST = 'The connection to the engine was lost.';

/** `{ stream, event }`, `{ stream, end: true }`, or the channel's opening `{ channel }`. */
type Frame = { stream?: unknown; event?: unknown; end?: unknown; channel?: unknown };

export interface EventChannel {
  stream(call: RpcCall, signal?: AbortSignal): AsyncGenerator<unknown>;
}

export function createEventChannel(post: BridgePost, errorFrom: ErrorFrom): EventChannel {
  let current: Promise<OpenChannel> | null = null;
  let seq = 0;

  /** Reads the channel until it ends; then every stream still on it ends as a broken link. */
  async function follow(open: OpenChannel, frames: AsyncGenerator<unknown>, forget: () => void): Promise<void> {
    let failure: Error = new Error(CHANNEL_LOST);
    try {
      for await (const raw of frames) {
        const f = raw as Frame;
        const entry = typeof f.stream === 'string' ? open.entries.get(f.stream) : undefined;
        if (!entry) continue; // a stream this page cancelled, or already gave up on
        if (f.end === true) {
          entry.ended = true;
          open.entries.delete(f.stream as string);
          entry.queue.end();
        } else entry.queue.push(f.event);
      }
    } catch (error) {
      failure = new Error(`${CHANNEL_LOST} ${(error as Error)?.message ?? ''}`.trim());
    }
    open.closed = true;
    forget();
    for (const entry of open.entries.values()) {
      entry.ended = true;
      entry.queue.end(failure);
    }
    open.entries.clear();
  }

  /** Opens a channel and reads its first event, which names it. */
  async function connect(): Promise<{ open: OpenChannel; frames: AsyncGenerator<unknown> }> {
    const response = await post('/app/events', {});
    if (!response.ok) throw await errorFrom(response);
    if (!response.body) throw new Error('The engine answered the event channel without a body.');
    const frames = readSseJson(response.body);
    const hello = await frames.next();
    const id = hello.done ? undefined : (hello.value as Frame).channel;
    if (typeof id !== 'string') {
      await frames.return(undefined);
      throw new Error('The engine did not open an event channel.');
    }
    return { open: { id, entries: new Map(), closed: false }, frames };
  }

  /** The page's channel, opened on first use and again after it closes. */
  function channel(): Promise<OpenChannel> {
    if (current) return current;
    const opening = connect().then(({ open, frames }) => {
      void follow(open, frames, forget);
      return open;
    });
    // A channel that could not open, or closed, is not kept: the next stream opens another.
    const forget = () => {
      if (current === opening) current = null;
    };
    opening.catch(forget);
    current = opening;
    return opening;
  }

  /** Registers the stream before starting it, so events that outrun the start's answer are kept. */
  async function start(call: RpcCall, id: string, entry: Entry): Promise<OpenChannel> {
    for (let attempt = 0; ; attempt++) {
      let open = await channel();
      // It closed while this stream waited for it: the next call to channel() opens another.
      if (open.closed) open = await channel();
      open.entries.set(id, entry);
      const response = await post('/app/stream/start', { channel: open.id, stream: id, call });
      if (response.ok) return open;
      open.entries.delete(id);
      // 410: the engine closed that channel (it restarted) before we noticed; once more on a new one.
      if (response.status === 410 && attempt === 0) {
        if (current && (await current.catch(() => null)) === open) current = null;
        continue;
      }
      throw await errorFrom(response);
    }
  }

  return {
    async *stream(call, signal) {
      if (signal?.aborted) throw abortError();
      const id = `s${++seq}`;
      const entry: Entry = { queue: createEventQueue<unknown>(), ended: false };
      const onAbort = () => entry.queue.end(abortError());
      signal?.addEventListener('abort', onAbort, { once: true });
      let open: OpenChannel | undefined;
      try {
        open = await start(call, id, entry);
        yield* entry.queue.iterate();
      } finally {
        signal?.removeEventListener('abort', onAbort);
        if (open && !entry.ended) {
          // Stopped, aborted or left early: the engine stops the stream too (a short call, not awaited).
          open.entries.delete(id);
          void post('/app/stream/cancel', { channel: open.id, stream: id }).catch(() => undefined);
        }
      }
    },
  };
}
