// The port's guards: Host checked against DNS rebinding, browser Origins refused unless they are the
// port's own UI, and credentials read from `Authorization: Bearer` or `x-api-key`.
import type { IncomingMessage } from 'node:http';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export class HostGuard {
  private readonly allowed: Set<string>;
  private readonly anyHost: boolean;

  constructor(host: string, port: number) {
    // Bound to every interface, the Host a client uses cannot be known in advance (binding there is an explicit, warned choice).
    this.anyHost = host === '0.0.0.0' || host === '::';
    const names = new Set(LOOPBACK_NAMES);
    names.add(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
    this.allowed = new Set([...names].map((n) => `${n}:${port}`));
  }

  hostAllowed(req: IncomingMessage): boolean {
    const host = req.headers.host;
    return host !== undefined && (this.anyHost || this.allowed.has(host.toLowerCase()));
  }

  /** A browser Origin is accepted only when it is the port itself (the UI served at `/`). */
  originIsSelf(origin: string): boolean {
    const match = /^https?:\/\/(.+)$/.exec(origin);
    return match !== null && (this.anyHost || this.allowed.has(match[1]!.toLowerCase()));
  }
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth && auth.length > 7 && auth.slice(0, 7).toLowerCase() === 'bearer ') return auth.slice(7).trim();
  const apiKey = req.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey ? apiKey.trim() : undefined;
}
