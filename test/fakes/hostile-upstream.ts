// A loopback upstream that behaves like a provider on a bad day, in each protocol's wire format
// (OpenAI chat completions, Anthropic messages, Ollama /api/chat, Gemini generateContent): the fault
// is chosen per request by the model name (`<fault>--<tag>`), so one config can route to every fault,
// and sockets are tracked per tag so a test can assert that none is left open.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenFake } from './fake-server';
import { wireFor, type HostileProtocol, type Wire } from './hostile-wire';
import { pieces, readBody } from './scenario';

export type { HostileProtocol } from './hostile-wire';

export const HOSTILE_FAULTS = [
  'ok',
  'headers-stall', // status and headers, then silence
  'token-stall', // the first token, then silence
  'no-response', // the request is read, nothing is ever answered
  'bad-json-early', // an event that is not JSON before the first token
  'bad-json-late', // an event that is not JSON after the first token (the stream then goes on)
  'huge-chunk', // the whole answer as one 10 MB content delta
  'no-terminal', // tokens, then a clean close without the protocol's terminal event
  'reset-early', // headers, then the socket is destroyed
  'reset', // the socket is destroyed a few bytes past the first token
  'html-200', // a proxy's HTML page with status 200
  'html-500', // a proxy's HTML page with status 500
  'empty-200', // `{}` with status 200
  'redirect', // 307 to another URL on this fake (which counts any request that follows it)
  // key-echo: the provider echoes the API key it received, in an error body and a header...
  'key-echo-error',
  // key-echo: ...or in an error event after the first token (an error body with status 200 unstreamed).
  'key-echo-event',
] as const;
export type HostileFault = (typeof HOSTILE_FAULTS)[number];

export const HOSTILE_REPLY = 'Hello from the hostile upstream, in pieces.';
export const HUGE_CHUNK_BYTES = 10 * 1024 * 1024;
const HUGE_TEXT = 'h'.repeat(HUGE_CHUNK_BYTES);
/** No stall outlives this, whoever forgot to hang up. */
const STALL_LIMIT_MS = 30_000;
const HTML = '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><h1>Bad Gateway</h1></body></html>\n';

export const hostileModel = (fault: HostileFault, tag: string): string => `${fault}--${tag}`;

export interface HostileRequest {
  protocol: HostileProtocol;
  fault: HostileFault;
  tag: string;
  stream: boolean;
  /** The API key the request carried. */
  key: string;
}

export interface HostileUpstream {
  /** Base URLs to configure, per provider kind. */
  urls: { openai: string; anthropic: string; ollama: string; gemini: string };
  requests: HostileRequest[];
  /** Requests that followed a redirect (should stay 0: the gateway must not follow them). */
  followedRedirects(): number;
  /** Open sockets: all, or those that carried a request for `tag` (or `tag.<anything>`). */
  openConnections(tag?: string): number;
  /** The tag of each open socket (its request line before the model is known, `-` before any request), to say which case leaked. */
  openTags(): string[];
  close(): Promise<void>;
}

interface Target {
  protocol: HostileProtocol;
  model: string;
  stream: boolean;
}

function targetOf(req: IncomingMessage, body: Record<string, unknown> | null): Target | null {
  const url = new URL(req.url ?? '/', 'http://hostile');
  const model = typeof body?.model === 'string' ? body.model : '';
  if (req.method !== 'POST') return null;
  if (url.pathname === '/v1/chat/completions') return { protocol: 'openai', model, stream: body?.stream === true };
  if (url.pathname === '/v1/messages') return { protocol: 'anthropic', model, stream: body?.stream === true };
  if (url.pathname === '/api/chat') return { protocol: 'ollama', model, stream: body?.stream !== false };
  const g = /^\/v1beta\/models\/([^:/]+):(generateContent|streamGenerateContent)$/.exec(url.pathname);
  if (g) return { protocol: 'gemini', model: decodeURIComponent(g[1]!), stream: g[2] === 'streamGenerateContent' };
  return null;
}

function keyOf(req: IncomingMessage, protocol: HostileProtocol): string {
  const h = req.headers;
  if (protocol === 'anthropic') return String(h['x-api-key'] ?? '');
  if (protocol === 'gemini') return String(h['x-goog-api-key'] ?? new URL(req.url ?? '/', 'http://hostile').searchParams.get('key') ?? '');
  return String(h.authorization ?? '').replace(/^Bearer /, '');
}

/** Waits until the client hangs up (or the stall limit passes, then hangs up itself). */
function stall(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (res.socket === null || res.socket.destroyed) return resolve();
    const timer = setTimeout(() => {
      res.socket?.destroy();
      resolve();
    }, STALL_LIMIT_MS);
    res.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const written = (res: ServerResponse, data: string | Buffer) => new Promise<void>((resolve) => res.write(data, () => resolve()));
const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function destroyAfter(res: ServerResponse, bytes: Buffer): Promise<void> {
  if (bytes.length) await written(res, bytes);
  await later(10); // let the bytes reach the client before the reset
  res.socket?.destroy();
}

function sendBody(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** Faults that look the same whether the request asked for a stream or not. */
function answerPlain(res: ServerResponse, fault: HostileFault, wire: Wire, key: string, moved: string): boolean {
  const json = (status: number, body: unknown, headers?: Record<string, string>) =>
    sendBody(res, status, 'application/json', JSON.stringify(body), headers);
  switch (fault) {
    case 'html-200':
      sendBody(res, 200, 'text/html', HTML);
      return true;
    case 'html-500':
      sendBody(res, 500, 'text/html', HTML);
      return true;
    case 'empty-200':
      json(200, {});
      return true;
    case 'redirect':
      sendBody(res, 307, 'text/html', `<a href="${moved}">Moved</a>`, { location: moved });
      return true;
    case 'key-echo-error':
      json(500, wire.errorBody(500, `upstream failure for key ${key}`), { 'x-upstream-key-echo': key });
      return true;
    default:
      return false;
  }
}

async function answerStream(res: ServerResponse, fault: HostileFault, wire: Wire, key: string): Promise<void> {
  const tokens = pieces(HOSTILE_REPLY, 4).map(wire.token);
  const start = () => res.writeHead(200, { 'content-type': wire.streamType, 'cache-control': 'no-cache' });
  const send = async (frames: string[]) => {
    for (const f of frames) if (!res.destroyed) await written(res, f);
  };
  if (fault === 'no-response') return stall(res);
  if (fault === 'headers-stall' || fault === 'reset-early') {
    start();
    res.flushHeaders();
    return fault === 'headers-stall' ? stall(res) : destroyAfter(res, Buffer.alloc(0));
  }
  if (fault === 'key-echo-event') res.setHeader('x-upstream-key-echo', key);
  start();
  const [first, ...more] = tokens;
  switch (fault) {
    case 'token-stall':
      await send([...wire.opening, first!]);
      return stall(res);
    case 'bad-json-early':
      await send([...wire.opening, wire.garbage, ...tokens, ...wire.closing]);
      break;
    case 'bad-json-late':
      await send([...wire.opening, first!, wire.garbage, ...more, ...wire.closing]);
      break;
    case 'huge-chunk':
      await send([...wire.opening, wire.token(HUGE_TEXT), ...wire.closing]);
      break;
    case 'no-terminal':
      await send([...wire.opening, ...tokens]);
      break;
    case 'reset': {
      const head = Buffer.from([...wire.opening, first!].join(''));
      const whole = Buffer.from([...wire.opening, ...tokens, ...wire.closing].join(''));
      return destroyAfter(res, whole.subarray(0, head.length + 7));
    }
    case 'key-echo-event':
      await send([...wire.opening, first!, wire.errorEvent(`stream failed for key ${key}`)]);
      break;
    default:
      await send([...wire.opening, ...tokens, ...wire.closing]);
  }
  res.end();
}

async function answerJson(res: ServerResponse, fault: HostileFault, wire: Wire, key: string): Promise<void> {
  const whole = JSON.stringify(wire.json(HOSTILE_REPLY));
  const half = whole.slice(0, Math.floor(whole.length / 2));
  const begin = () => res.writeHead(200, { 'content-type': 'application/json' });
  switch (fault) {
    case 'no-response':
      return stall(res);
    case 'headers-stall':
      begin();
      res.flushHeaders();
      return stall(res);
    case 'token-stall':
      begin();
      await written(res, half);
      return stall(res);
    case 'reset-early':
      begin();
      res.flushHeaders();
      return destroyAfter(res, Buffer.alloc(0));
    case 'reset':
      begin();
      return destroyAfter(res, Buffer.from(half));
    case 'bad-json-early':
      return sendBody(res, 200, 'application/json', '{"id": "hostile", "choices": [ <html>upstream proxy error</html>');
    case 'bad-json-late':
      return sendBody(res, 200, 'application/json', `${whole}\n<!-- served by a proxy -->`);
    case 'huge-chunk':
      return sendBody(res, 200, 'application/json', JSON.stringify(wire.json(HUGE_TEXT)));
    case 'no-terminal':
      begin(); // no content-length: the chunked body ends cleanly, half-way through the JSON
      res.end(half);
      return;
    case 'key-echo-event':
      return sendBody(res, 200, 'application/json', JSON.stringify(wire.errorBody(500, `request failed for key ${key}`)), {
        'x-upstream-key-echo': key,
      });
    default:
      return sendBody(res, 200, 'application/json', whole);
  }
}

export async function startHostileUpstream(): Promise<HostileUpstream> {
  const requests: HostileRequest[] = [];
  const tags = new WeakMap<object, string>();
  let followed = 0;
  let port = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    tags.set(req.socket, `(${req.method} ${req.url})`); // until the request says which case it belongs to
    const raw = await readBody(req);
    // One request per connection: a socket's tag then says which case left it open.
    res.setHeader('connection', 'close');
    if (req.url?.startsWith('/moved')) {
      followed++;
      return sendBody(res, 410, 'application/json', '{"error":{"message":"the gateway followed a redirect"}}');
    }
    let body: Record<string, unknown> | null;
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
    } catch {
      return sendBody(res, 400, 'application/json', '{"error":{"message":"request body is not JSON"}}');
    }
    const target = targetOf(req, body);
    const split = target ? /^([a-z0-9-]+?)--(.+)$/.exec(target.model) : null;
    const fault = split?.[1] as HostileFault | undefined;
    if (!target || !split || !fault || !HOSTILE_FAULTS.includes(fault)) {
      return sendBody(res, 404, 'application/json', '{"error":{"message":"no such model or path on the hostile upstream"}}');
    }
    const tag = split[2]!;
    tags.set(req.socket, tag);
    const key = keyOf(req, target.protocol);
    requests.push({ protocol: target.protocol, fault, tag, stream: target.stream, key });
    const wire = wireFor(target.protocol, target.model);
    if (answerPlain(res, fault, wire, key, `http://127.0.0.1:${port}/moved${req.url ?? ''}`)) return;
    return target.stream ? answerStream(res, fault, wire, key) : answerJson(res, fault, wire, key);
  };

  const server = await listenFake(handle, (res) => sendBody(res, 500, 'application/json', '{"error":{"message":"hostile fake crashed"}}'));
  port = server.port;
  const base = `http://127.0.0.1:${port}`;
  const sockets = server.sockets();
  return {
    urls: { openai: `${base}/v1`, anthropic: base, ollama: base, gemini: `${base}/v1beta` },
    requests,
    followedRedirects: () => followed,
    openConnections: (tag) => {
      if (tag === undefined) return server.openConnections();
      let n = 0;
      for (const s of sockets) {
        const t = tags.get(s);
        if (t === tag || t?.startsWith(`${tag}.`)) n++;
      }
      return n;
    },
    openTags: () => [...sockets].map((s) => tags.get(s) ?? '-'),
    close: server.close,
  };
}
