// The stream relay's synchronous drain: events an upstream read already delivered are taken by poll()
// (SSE reader, then the stream guard) without a promise each, in order, counted by the guard, and a
// relay that throws still stops the stream as `for await` would.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readSse, type SseEvent } from '../providers/sse';
import { guardStream, type StreamGuard } from '../router/timeouts';
import { pumpStream } from './relay';
import type { StreamWriter } from './stream-writer';

const sse = (...data: string[]) => data.map((d) => `data: ${d}\n\n`).join('');
const tick = () => new Promise((r) => setImmediate(r));

/** The part of StreamWriter pumpStream uses: never needs draining; says when the answer is complete. */
const writer = () => {
  const w = { held: false, ready: () => undefined, holdForEnd: () => void (w.held = true) };
  return w;
};

function guarded(body: PassThrough, idleMs = 1000) {
  const ends: Array<Parameters<StreamGuard['onEnd']>[0]> = [];
  const aborts: Error[] = [];
  const reader = readSse(body);
  const stream = guardStream(reader, {
    idleMs,
    deadline: performance.now() + 10_000,
    abort: (reason) => {
      aborts.push(reason);
      body.destroy(reason);
    },
    onEnd: (o) => ends.push(o),
  });
  return { reader, stream, ends, aborts };
}

describe('SseReader.poll', () => {
  it('hands over the events of a read in order, then nothing until more arrive', async () => {
    const body = new PassThrough();
    const reader = readSse(body);
    expect(reader.poll()).toBeUndefined();
    body.write(sse('a', 'b') + 'data: c');
    await tick();
    expect([reader.poll()?.data, reader.poll()?.data, reader.poll()]).toEqual(['a', 'b', undefined]);
    body.end('\n\n');
    await tick();
    expect(reader.poll()?.data).toBe('c');
    expect(reader.poll()).toBeUndefined();
    expect(await reader.next()).toEqual({ done: true, value: undefined });
  });

  it('leaves a failure to next()', async () => {
    const body = new PassThrough();
    const reader = readSse(body);
    body.destroy(new Error('cut'));
    await tick();
    expect(reader.poll()).toBeUndefined();
    await expect(reader.next()).rejects.toThrow('cut');
  });
});

describe('the stream guard with poll', () => {
  it('counts polled items with the awaited ones', async () => {
    const body = new PassThrough();
    const { stream, ends } = guarded(body);
    body.end(sse('a', 'b', 'c'));
    await tick();
    expect((await stream.next()).value).toMatchObject({ data: 'a' });
    expect(stream.poll()?.data).toBe('b');
    expect(stream.poll()?.data).toBe('c');
    expect(stream.poll()).toBeUndefined();
    expect((await stream.next()).done).toBe(true);
    expect(ends).toEqual([{ ok: true, items: 3 }]);
  });

  it('polls nothing once its idle timeout fired: next() reports it', async () => {
    const body = new PassThrough();
    const { stream, ends, aborts } = guarded(body, 20);
    const pending = stream.next();
    await expect(pending).rejects.toThrow(/sent nothing for 20 ms/);
    expect(stream.poll()).toBeUndefined();
    await expect(stream.next()).rejects.toThrow(/sent nothing/);
    expect(aborts).toHaveLength(1);
    expect(ends).toMatchObject([{ ok: false, items: 0 }]);
  });
});

describe('pumpStream', () => {
  it('relays every event of one read in order, waiting on the stream only when nothing is held', async () => {
    const body = new PassThrough();
    const { stream, ends } = guarded(body);
    let waits = 0;
    const next = stream.next.bind(stream);
    stream.next = () => (waits++, next());
    const out = writer();
    const seen: string[] = [];
    const pumping = pumpStream({ head: [{ data: 'h' }], rest: stream }, out as unknown as StreamWriter, (e: SseEvent) => seen.push(e.data));
    body.write(sse('1', '2', '3', '4'));
    await tick();
    body.end(sse('5'));
    await pumping;
    expect(seen).toEqual(['h', '1', '2', '3', '4', '5']);
    // One wait for the first read, one for the second, one for the end: not one per event.
    expect(waits).toBe(3);
    expect(out.held).toBe(true);
    expect(ends).toEqual([{ ok: true, items: 5 }]);
  });

  it('relays a stream that cannot poll (a translation) through next() alone', async () => {
    async function* events() {
      yield { data: 'x' };
      yield { data: 'y' };
    }
    const seen: string[] = [];
    const out = writer();
    await pumpStream({ head: [], rest: events() }, out as unknown as StreamWriter, (e) => seen.push(e.data));
    expect(seen).toEqual(['x', 'y']);
    expect(out.held).toBe(true);
  });

  it('stops the stream, closing the upstream, when the relay throws, and rethrows the relay error', async () => {
    const body = new PassThrough();
    const { stream, ends, aborts } = guarded(body);
    body.write(sse('1', '2', '3'));
    await tick();
    const out = writer();
    const seen: string[] = [];
    const relay = (e: SseEvent) => {
      if (e.data === '2') throw new Error('client went away');
      seen.push(e.data);
    };
    await expect(pumpStream({ head: [], rest: stream }, out as unknown as StreamWriter, relay)).rejects.toThrow('client went away');
    expect(seen).toEqual(['1']);
    expect(aborts.map((a) => a.message)).toEqual(['stream abandoned by its consumer']);
    expect(ends).toEqual([{ ok: true, items: 2 }]);
    expect(out.held).toBe(false);
  });

  it('passes on the stream failure itself', async () => {
    const body = new PassThrough();
    const { stream } = guarded(body);
    body.write(sse('1'));
    await tick();
    body.destroy(new Error('upstream cut'));
    const seen: string[] = [];
    await expect(pumpStream({ head: [], rest: stream }, writer() as unknown as StreamWriter, (e) => seen.push(e.data))).rejects.toThrow(
      'upstream cut',
    );
    expect(seen).toEqual(['1']);
  });
});
