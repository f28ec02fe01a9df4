// A TCP port free on loopback right now, for a process that must be told its port before it starts
// (PostgreSQL, the reference gateway in the bench).
import { createServer } from 'node:net';

export const freePort = (): Promise<number> =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
