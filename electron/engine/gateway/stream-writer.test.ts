// The relay's writer against a real socket: a first burst far over the socket's buffer and a client
// that reads slowly must stream to the end (no wait for a drain that already fired) with the port's
// buffered bytes bounded (it waits while the socket needs draining, and only then).
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
});
