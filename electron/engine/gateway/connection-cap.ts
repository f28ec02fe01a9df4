// Caps the port's open client connections. Past the cap the oldest idle connection (no request in
// flight: a kept-alive client, or one still trickling its headers) is closed for the newcomer, so a
// flood of slow sockets cannot lock real clients out; with none idle the newcomer gets a 503.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Node sets this on a socket while a response is being written on it (undocumented, stable since 0.x). */
type HttpSocket = Socket & { _httpMessage?: unknown };

const BUSY =
  'HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-type: text/plain\r\ncontent-length: 33\r\n\r\ntoo many open connections to port';

/** The soft limit on open files (Node raises it to the hard limit at start); undefined where unknown. */
export function openFileLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.split(/\s+/)[3]);
    return Number.isFinite(soft) && soft > 0 ? soft : undefined;
  } catch {
    return undefined; // not Linux
  }
}

/** The default cap: three quarters of the fd limit (upstream sockets, the ledger and the UI's files need the rest). */
export function defaultMaxConnections(fdLimit = openFileLimit()): number {
  return fdLimit === undefined ? 4096 : Math.max(32, Math.min(4096, Math.floor(fdLimit * 0.75)));
}

export function capConnections(server: Server, max: number): { open(): number } {
  // Insertion order is connection order: the first idle one found is the longest connected.
  const sockets = new Set<HttpSocket>();
  server.on('connection', (socket: HttpSocket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (sockets.size <= max) return;
    for (const s of sockets) {
      if (s !== socket && !s._httpMessage) {
        s.destroy();
        sockets.delete(s);
        return;
      }
    }
    socket.end(BUSY);
    sockets.delete(socket);
  });
  return { open: () => sockets.size };
}
