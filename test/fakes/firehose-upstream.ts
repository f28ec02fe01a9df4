// An upstream that streams one long reply as fast as the port will take it, in each provider
// protocol's wire format (the frames of hostile-wire.ts), and records whether its writes ever had to
// wait: when a client of the port stops reading, a relay that does not buffer without limit stops
// reading the upstream too, and this fake sees its socket fill.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { wireFor, type HostileProtocol } from './hostile-wire';

export interface FirehoseOptions {
  /** Token frames per reply and characters per frame: together well over the sockets' buffers. */
  frames: number;
  frameChars: number;
}

export interface Firehose {
  url: string;
  /** Writes that found the socket full (and waited for it to drain), per reply, newest last. */
  stalls: number[];
  /** Whether each reply has been written to its end, newest last. */
  finished: boolean[];
  /** The text one reply carries, for comparing what the client got. */
  replyText: string;
  close(): Promise<void>;
}

function protocolOf(path: string): HostileProtocol {
  if (path.startsWith('/v1/messages')) return 'anthropic';
  if (path.startsWith('/api/')) return 'ollama';
  if (path.includes(':streamGenerateContent') || path.includes(':generateContent')) return 'gemini';
  return 'openai';
}

export async function startFirehose(options: FirehoseOptions): Promise<Firehose> {
  // A character no frame of any protocol uses otherwise, so a client can count what reached it.
  const piece = '~'.repeat(options.frameChars);
  const stalls: number[] = [];
  const finished: boolean[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      const wire = wireFor(protocolOf(req.url ?? '/'), 'firehose');
      res.writeHead(200, { 'content-type': wire.streamType });
      let waits = 0;
      const send = async (frame: string) => {
        if (res.write(frame)) return;
        waits++;
        await new Promise<void>((resolve) => {
          res.once('drain', resolve);
          res.once('close', resolve);
        });
      };
      const index = stalls.push(0) - 1;
      finished.push(false);
      for (const frame of wire.opening) await send(frame);
      for (let i = 0; i < options.frames && !res.destroyed; i++) {
        await send(wire.token(piece));
        stalls[index] = waits;
      }
      for (const frame of wire.closing) await send(frame);
      stalls[index] = waits;
      finished[index] = true;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stalls,
    finished,
    replyText: piece.repeat(options.frames),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
