// The port's guards: Host checked against DNS rebinding, browser Origins refused unless they are the
// port's own UI or allow-listed in settings, and credentials read from `Authorization: Bearer` or `x-api-key`
// (and for Google's clients `x-goog-api-key` or `?key=`).
import type { IncomingMessage, ServerResponse } from 'node:http';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** True for addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The warning printed when the port is bound where other machines can reach it (an explicit choice). */
export function exposureWarning(host: string): string | undefined {
  if (isLoopbackHost(host)) return undefined;
  return `switchboard: WARNING the port is bound to ${host}, not loopback: other machines that can reach this address can use your provider keys with a client token. Bind to 127.0.0.1 unless you mean it.`;
}

export class HostGuard {
  private readonly allowed: Set<string>;
  private readonly anyHost: boolean;
  private origins: ReadonlySet<string> = new Set();

  constructor(host: string, port: number) {
    // Bound to every interface, the Host a client uses cannot be known in advance (binding there is an explicit, warned choice).
    this.anyHost = host === '0.0.0.0' || host === '::';
    const names = new Set(LOOPBACK_NAMES);
    names.add(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
    this.allowed = new Set([...names].map((n) => `${n}:${port}`));
  }

  /** Origins (scheme://host[:port], as browsers send them) a user allowed to call the API from a web page. */
  allowOrigins(origins: readonly string[]): void {
    this.origins = new Set(origins.map((o) => o.trim().toLowerCase().replace(/\/+$/, '')));
  }

  hostAllowed(req: IncomingMessage): boolean {
    const host = req.headers.host;
    return host !== undefined && (this.anyHost || this.allowed.has(host.toLowerCase()));
  }

  /** A browser Origin is accepted on /app only when it is the port itself (the UI served at `/`). */
  originIsSelf(origin: string): boolean {
    const match = /^https?:\/\/(.+)$/.exec(origin);
    return match !== null && (this.anyHost || this.allowed.has(match[1]!.toLowerCase()));
  }

  /** A browser Origin is accepted on the API only when the user allow-listed it. */
  originAllowListed(origin: string): boolean {
    return this.origins.size > 0 && this.origins.has(origin.toLowerCase());
  }
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth && auth.length > 7 && auth.slice(0, 7).toLowerCase() === 'bearer ') return auth.slice(7).trim();
  const apiKey = req.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey ? apiKey.trim() : undefined;
}

/**
 * Google's clients send their key as `x-goog-api-key`, or as `?key=` in the URL. The server reads it on
 * /v1beta/ paths only; the query never reaches a log (the port logs paths without it).
 */
export function googleApiKey(req: IncomingMessage): string | undefined {
  const header = req.headers['x-goog-api-key'];
  if (typeof header === 'string' && header.trim()) return header.trim();
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const key = q === -1 ? null : new URLSearchParams(url.slice(q + 1)).get('key');
  return key?.trim() || undefined;
}

/** decodeURIComponent that answers undefined for a malformed escape (`%ZZ`) instead of throwing. */
export function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text); // safe: a malformed escape is caught below
  } catch {
    return undefined;
  }
}

/** Headers for answers the port writes itself (errors, refusals): nothing in them may be sniffed, framed or cached. */
export function setSecurityHeaders(res: ServerResponse): void {
  if (res.headersSent) return;
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  res.setHeader('cache-control', 'no-store');
}
