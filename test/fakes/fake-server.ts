// The HTTP plumbing every fake upstream shares: listen on a free loopback port, answer a handler's
// crash with a 500 (or a reset once headers went out), track sockets so tests can see none are left
// open, and close everything at once.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeServer {
  port: number;
  openConnections(): number;
  /** The open sockets themselves (for fakes that attribute them to requests). */
  sockets(): ReadonlySet<Socket>;
  close(): Promise<void>;
}

export async function listenFake(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>,
  onCrash: (res: ServerResponse) => void,
): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch(() => (res.headersSent ? res.destroy() : onCrash(res)));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    openConnections: () => sockets.size,
    sockets: () => sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
