// One raw HTTP/1.1 exchange over a fresh loopback socket, for the fuzz tests: the request's bytes go out
// exactly as given (malformed paths, odd headers, a lying Content-Length) and the first answer is parsed by hand.
import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  /** Header names lower-cased; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: Buffer;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export type RawOutcome =
  | { answered: true; answer: RawAnswer }
  /** No complete answer: the deadline passed, or the server closed or reset the connection first. */
  | { answered: false; reason: 'timeout' | 'closed' | 'reset'; partial: string };

const HEAD_END = Buffer.from('\r\n\r\n');

/** Decodes a chunked body; undefined until its terminating zero-size chunk has arrived. */
function dechunk(data: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', at);
    if (eol === -1) return undefined;
    const size = parseInt(data.subarray(at, eol).toString('latin1'), 16);
    if (!Number.isFinite(size)) return undefined;
    if (size === 0) return Buffer.concat(parts);
    if (data.length < eol + 2 + size + 2) return undefined;
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/** The first complete answer in `data`, or undefined while it is still arriving (`ended`: the peer closed). */
function parse(data: Buffer, method: string, ended: boolean): RawAnswer | undefined {
  const headEnd = data.indexOf(HEAD_END);
  if (headEnd === -1) return undefined;
  const lines = data.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1]);
  if (!Number.isInteger(status)) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = data.subarray(headEnd + 4);
  let body: Buffer | undefined;
  if (method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200)) body = Buffer.alloc(0);
  else if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) body = dechunk(rest);
  else if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    body = rest.length >= length ? rest.subarray(0, length) : undefined;
  } else body = ended ? rest : undefined;
  if (body === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    json = undefined;
  }
  return { status, headers, body, json };
}

/**
 * Sends `request` (a whole HTTP/1.1 message, ideally with `Connection: close`) and resolves with the
 * first complete answer, or why there was none within `timeoutMs`. Never rejects.
 */
export function rawRequest(port: number, request: Buffer, method: string, timeoutMs: number): Promise<RawOutcome> {
  return new Promise((resolve) => {
    let data = Buffer.alloc(0);
    let settled = false;
    const socket = connect(port, '127.0.0.1');
    const finish = (outcome: RawOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const partial = () => data.subarray(0, 300).toString('latin1');
    const timer = setTimeout(() => finish({ answered: false, reason: 'timeout', partial: partial() }), timeoutMs);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const answer = parse(data, method, false);
      if (answer) finish({ answered: true, answer });
    });
    socket.on('end', () => {
      const answer = parse(data, method, true);
      finish(answer ? { answered: true, answer } : { answered: false, reason: 'closed', partial: partial() });
    });
    // A server that answers before reading the whole body may reset while we still write: keep what came.
    socket.on('error', () => {
      const answer = parse(data, method, true);
      finish(answer ? { answered: true, answer } : { answered: false, reason: 'reset', partial: partial() });
    });
    socket.on('close', () => {
      const answer = parse(data, method, true);
      finish(answer ? { answered: true, answer } : { answered: false, reason: 'closed', partial: partial() });
    });
  });
}
