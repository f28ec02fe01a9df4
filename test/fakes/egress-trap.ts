// A proxy that lets nothing out: real client programs under test get it as HTTP(S)_PROXY, so any
// call they make beyond loopback (telemetry, update checks) is refused at once instead of leaving the
// machine or hanging, and is recorded so the test can say what the program tried to reach.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface EgressTrap {
  url: string;
  /** `CONNECT host:port` or `METHOD url` of every refused attempt, in order. */
  attempts: string[];
  close(): Promise<void>;
}

export async function startEgressTrap(): Promise<EgressTrap> {
  const attempts: string[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    attempts.push(`${req.method} ${req.url}`);
    res.writeHead(403, { 'content-type': 'text/plain', connection: 'close' });
    res.end('egress refused by the test suite');
  });
  server.on('connect', (req, client: Socket) => {
    attempts.push(`CONNECT ${req.url}`);
    client.on('error', () => client.destroy());
    client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    attempts,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
