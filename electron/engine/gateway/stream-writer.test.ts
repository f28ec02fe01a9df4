// The relay's writer against a real socket: a first burst far over the socket's buffer and a client
// that reads slowly must stream to the end (no wait for a drain that already fired) with the port's
// buffered bytes bounded (it waits while the socket needs draining, and only then); and the writes it
// makes: the first text at once, then one per turn of the event loop, and a finished answer's last
// text together with its end.
import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { StreamWriter } from './stream-writer';

const EVENT = `data: ${'x'.repeat(64 * 1024)}\n\n`;
const EVENTS = 40; // 2.5 MB in all, the first 20 written in one burst

async function relay(readDelayMs: number): Promise<{ received: number; maxBuffered: number }> {
  let maxBuffered = 0;
  const server = createServer(async (_req, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const out = new StreamWriter(res, 5_000);
    for (let i = 0; i < EVENTS; i++) {
      out.write(EVENT);
      // A burst: the first half are queued in one tick before anyone checks for room.
      if (i < EVENTS / 2) continue;
      await new Promise((r) => setImmediate(r));
      maxBuffered = Math.max(maxBuffered, res.writableLength);
      const wait = out.ready();
      if (wait) await wait;
    }
    out.end('data: [DONE]\n\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  try {
    const received = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/' }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (readDelayMs > 0) {
            res.pause();
            setTimeout(() => res.resume(), readDelayMs);
          }
        });
        res.on('end', () => resolve(bytes));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    return { received, maxBuffered };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

describe('StreamWriter', () => {
  it('streams a 1 MB+ first burst to a fast reader to the end', async () => {
    const { received } = await relay(0);
    expect(received).toBe(EVENTS * EVENT.length + 'data: [DONE]\n\n'.length);
  });

  it('streams to a slow reader to the end with the port buffering at most a burst, not the whole answer', async () => {
    const { received, maxBuffered } = await relay(2);
    expect(received).toBe(EVENTS * EVENT.length + 'data: [DONE]\n\n'.length);
    // After the first burst the writer waits for each drain: what sits in the port's buffer stays well under the answer's size.
    expect(maxBuffered).toBeLessThan(EVENTS * EVENT.length * 0.75);
  });

  it('sends the first text at once, then what one turn queued, across promise hops, in one write per turn', async () => {
    const { calls, firstEventSeenBeforeEnd } = await recordWrites(async (out) => {
      out.write('data: 1\n\n'); // the first token: out at the next tick
      await Promise.resolve();
      out.write('data: 2\n\n');
      await Promise.resolve();
      out.write('data: 3\n\n');
      await new Promise((r) => setTimeout(r, 30)); // the next upstream read
      out.write('data: 4\n\n');
      await new Promise((r) => setTimeout(r, 30));
      out.end();
    });
    expect(calls).toEqual([
      ['write', 'data: 1\n\n'],
      ['write', 'data: 2\n\ndata: 3\n\n'],
      ['write', 'data: 4\n\n'],
      ['end', ''],
    ]);
    expect(firstEventSeenBeforeEnd).toBe(true);
  });

  it('after holdForEnd, the queued text and any later writes go out with the end, in one call', async () => {
    const { calls, body } = await recordWrites(async (out) => {
      out.write('data: 1\n\n');
      await Promise.resolve();
      out.write('data: 2\n\n');
      out.holdForEnd();
      out.write('data: [DONE]\n\n');
      // The end comes a turn later, once the ledger row is on disk (RequestMeter.finish).
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setTimeout(r, 10));
      out.end();
    });
    expect(calls).toEqual([
      ['write', 'data: 1\n\n'],
      ['end', 'data: 2\n\ndata: [DONE]\n\n'],
    ]);
    expect(body).toBe('data: 1\n\ndata: 2\n\ndata: [DONE]\n\n');
  });

  it('a hold that comes before the first flush leaves everything to the end', async () => {
    const { calls } = await recordWrites(async (out) => {
      out.write('data: 1\n\n');
      out.holdForEnd(); // the whole answer was in one read
      await new Promise((r) => setImmediate(r));
      out.end('data: [DONE]\n\n');
    });
    expect(calls).toEqual([['end', 'data: 1\n\ndata: [DONE]\n\n']]);
  });
});

/** Runs `produce` against a real response, recording the writer's calls on it and what the client got. */
async function recordWrites(
  produce: (out: StreamWriter) => Promise<void>,
): Promise<{ calls: Array<[string, string]>; body: string; firstEventSeenBeforeEnd: boolean }> {
  const calls: Array<[string, string]> = [];
  let ended = false;
  const server = createServer((_req, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const write = res.write.bind(res) as (chunk: string) => boolean;
    const end = res.end.bind(res) as (chunk?: string) => ServerResponse;
    res.write = ((chunk: string) => (calls.push(['write', chunk]), write(chunk))) as ServerResponse['write'];
    res.end = ((chunk?: string) => ((ended = true), calls.push(['end', chunk ?? '']), end(chunk))) as ServerResponse['end'];
    void produce(new StreamWriter(res, 5_000));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/' }, (res) => {
        let body = '';
        let firstEventSeenBeforeEnd = false;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (body === '' && !ended) firstEventSeenBeforeEnd = true;
          body += chunk;
        });
        res.on('end', () => resolve({ calls, body, firstEventSeenBeforeEnd }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
