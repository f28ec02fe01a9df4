// The event channel against a stand-in engine: many streams share one channel and are told apart by
// id, a stopped stream is cancelled in the engine, refusals and a lost channel reach the caller, and a
// channel the engine closed is replaced.
import { describe, expect, it, vi } from 'vitest';
import { CHANNEL_LOST, createEventChannel } from './event-channel';
import { isAbortError } from './transport';

const enc = new TextEncoder();

/** An engine that opens channels on /app/events and lets the test write to them. */
function fakeEngine(onStart: (body: { channel: string; stream: string }) => Response | undefined = () => undefined) {
  const posts: Array<{ path: string; body: Record<string, unknown> }> = [];
  const channels: Array<{ id: string; send(value: unknown): void; close(): void; fail(): void }> = [];
  const post = async (path: string, body: unknown) => {
    posts.push({ path, body: body as Record<string, unknown> });
    if (path === '/app/events') {
      let ctrl!: ReadableStreamDefaultController<Uint8Array>;
      const stream = new ReadableStream<Uint8Array>({ start: (c) => (ctrl = c) });
      const ch = {
        id: `c${channels.length + 1}`,
        send: (value: unknown) => ctrl.enqueue(enc.encode(`data: ${JSON.stringify(value)}\n\n`)),
        close: () => ctrl.close(),
        fail: () => ctrl.error(new TypeError('network error')),
      };
      channels.push(ch);
      ch.send({ channel: ch.id });
      return new Response(stream, { headers: { 'content-type': 'text/event-stream' } });
    }
    if (path === '/app/stream/start') return onStart(body as { channel: string; stream: string }) ?? Response.json({ result: null });
    return Response.json({ result: null });
  };
  const errorFrom = async (r: Response) => new Error(((await r.json()) as { error: { message: string } }).error.message);
  const started = () => posts.filter((p) => p.path === '/app/stream/start').map((p) => p.body.stream as string);
  return { post, errorFrom, posts, channels, started };
}

const call = { service: 'chat', method: 'stream', params: [{}] };

async function collect(events: AsyncIterable<unknown>): Promise<{ out: unknown[]; error?: Error }> {
  const out: unknown[] = [];
  try {
    for await (const e of events) out.push(e);
    return { out };
  } catch (error) {
    return { out, error: error as Error };
  }
}

describe('event channel', () => {
  it('carries several streams at once over one channel, each getting only its own events', async () => {
    const engine = fakeEngine();
    const ch = createEventChannel(engine.post, engine.errorFrom);
    const a = collect(ch.stream(call));
    const b = collect(ch.stream(call));
    await vi.waitFor(() => expect(engine.started()).toHaveLength(2));
    const [sa, sb] = engine.started();
    const [channel] = engine.channels;
    channel!.send({ stream: sb, event: 'b1' });
    channel!.send({ stream: sa, event: 'a1' });
    channel!.send({ stream: 'unknown', event: 'x' });
    channel!.send({ stream: sb, event: 'b2' });
    channel!.send({ stream: sb, end: true });
    channel!.send({ stream: sa, end: true });
    expect(await a).toEqual({ out: ['a1'] });
    expect(await b).toEqual({ out: ['b1', 'b2'] });
    expect(engine.posts.filter((p) => p.path === '/app/events')).toHaveLength(1);
    // Both ended on their own: nothing to cancel.
    expect(engine.posts.filter((p) => p.path === '/app/stream/cancel')).toHaveLength(0);
  });

  it('cancels a stream in the engine when its signal aborts, and ignores what still arrives for it', async () => {
    const engine = fakeEngine();
    const ch = createEventChannel(engine.post, engine.errorFrom);
    const stop = new AbortController();
    const seen: unknown[] = [];
    const reading = (async () => {
      for await (const e of ch.stream(call, stop.signal)) {
        seen.push(e);
        stop.abort();
      }
    })();
    await vi.waitFor(() => expect(engine.started()).toHaveLength(1));
    const [id] = engine.started();
    engine.channels[0]!.send({ stream: id, event: 'first' });
    const failure = await reading.catch((e: unknown) => e);
    expect(isAbortError(failure)).toBe(true);
    engine.channels[0]!.send({ stream: id, event: 'late' });
    expect(seen).toEqual(['first']);
    expect(engine.posts.at(-1)).toEqual({ path: '/app/stream/cancel', body: { channel: 'c1', stream: id } });
  });

  it("raises the engine's refusal of a start, with nothing to cancel", async () => {
    const engine = fakeEngine(() => Response.json({ error: { message: 'unknown stream chat.nope' } }, { status: 404 }));
    const ch = createEventChannel(engine.post, engine.errorFrom);
    expect((await collect(ch.stream(call))).error?.message).toBe('unknown stream chat.nope');
    expect(engine.posts.map((p) => p.path)).toEqual(['/app/events', '/app/stream/start']);
  });

  it('ends every stream as a lost link when the channel drops, and opens a new channel for the next', async () => {
    const engine = fakeEngine();
    const ch = createEventChannel(engine.post, engine.errorFrom);
    const a = collect(ch.stream(call));
    const b = collect(ch.stream(call));
    await vi.waitFor(() => expect(engine.started()).toHaveLength(2));
    engine.channels[0]!.send({ stream: engine.started()[0], event: 'a1' });
    engine.channels[0]!.fail();
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.out).toEqual(['a1']);
    expect(ra.error?.message).toMatch(new RegExp(`^${CHANNEL_LOST}`));
    expect(rb.error?.message).toMatch(new RegExp(`^${CHANNEL_LOST}`));

    const c = collect(ch.stream(call));
    await vi.waitFor(() => expect(engine.started()).toHaveLength(3));
    expect(engine.channels).toHaveLength(2);
    engine.channels[1]!.send({ stream: engine.started()[2], end: true });
    expect(await c).toEqual({ out: [] });
  });

  it('starts again on a new channel when the engine says the old one is closed (410)', async () => {
    let refused = false;
    const engine = fakeEngine((body) => {
      if (body.channel !== 'c1' || refused) return undefined;
      refused = true;
      return Response.json({ error: { message: 'the event channel is closed; open a new one' } }, { status: 410 });
    });
    const ch = createEventChannel(engine.post, engine.errorFrom);
    const a = collect(ch.stream(call));
    await vi.waitFor(() => expect(engine.channels).toHaveLength(2));
    await vi.waitFor(() => expect(engine.started()).toHaveLength(2));
    engine.channels[1]!.send({ stream: engine.started()[1], event: 'ok' });
    engine.channels[1]!.send({ stream: engine.started()[1], end: true });
    expect(await a).toEqual({ out: ['ok'] });
  });

  it('raises the channel refusal (a missing token) as the stream error', async () => {
    const post = async () => Response.json({ error: { message: 'admin token required' } }, { status: 401 });
    const ch = createEventChannel(post, async (r) => new Error(((await r.json()) as { error: { message: string } }).error.message));
    expect((await collect(ch.stream(call))).error?.message).toBe('admin token required');
  });
});
