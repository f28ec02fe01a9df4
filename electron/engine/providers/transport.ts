// The engine's way out to the network: upstream requests over kept-alive undici pools (per connect
// timeout, or through the user's proxies), and image fetches through the guarded fetcher. One instance
// per engine, built by the composition root (app.ts) and handed down; nothing here is process-global.
import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import type { Readable } from 'node:stream';
import type { CancelSignal } from '../cancel';
import { DEFAULT_MAX_IMAGE_BYTES, fetchPublicImage, type FetchedImage, type ImageFetchOptions } from './image-fetch';
import { dispatchForText, type UpstreamText } from './text-answer';

export type { UpstreamText } from './text-answer';

export interface UpstreamCall {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable & { text(): Promise<string>; json(): Promise<unknown>; dump(): Promise<void> };
}

export interface SendOptions {
  /** TCP/TLS connect timeout for this request (the route's `timeouts.connectMs`). */
  connectTimeoutMs?: number;
  /** The provider this request is for: its own proxy (settings), when set, wins over the global one. */
  providerId?: string;
}

export interface TransportOptions {
  /**
   * How inline images are resolved and connected to (tests map names to public addresses and answer
   * from loopback fakes). The public-address rule applies whatever is set here.
   */
  imageFetch?: ImageFetchOptions;
}

/** What a routing attempt sends with: the engine's transport, its route's connect timeout and its provider's proxy. */
export interface AttemptRoute {
  transport: Transport;
  target: { provider: { id: string } };
  signal: CancelSignal;
  timeouts?: { connectMs: number };
}

const DEFAULT_CONNECT_MS = 10_000;
const MAX_PARSED_URLS = 512;
// Streams may pause for long stretches while a model thinks; the route's own timeouts apply on top.
const STREAM_PATIENCE = { headersTimeout: 300_000, bodyTimeout: 300_000 };

/**
 * How long an idle connection is kept when the server sends no Keep-Alive hint. Remote providers: 30 s,
 * so a tool's next request skips a new TLS handshake. Servers on this machine or the local network
 * (vLLM and other uvicorn servers, Node servers, LM Studio) often close idle connections after 5 s
 * without saying so; reusing one at that moment fails the request ("other side closed"), and a new
 * connection there costs a fraction of a millisecond: 4 s, under their clock.
 */
const REMOTE_IDLE_MS = 30_000;
const LOCAL_IDLE_MS = 4_000;

/** Loopback and private (RFC 1918, unique-local) hosts by their URL host, without a lookup. */
const LOCAL_HOST =
  /^(localhost|127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|\[::1\]|\[f[cd][0-9a-f]*:[0-9a-f:]*\])$/i;

const newAgent = (connectTimeoutMs: number, idleMs: number) =>
  new Agent({
    keepAliveTimeout: idleMs,
    keepAliveMaxTimeout: 600_000,
    connections: 256,
    connect: { timeout: connectTimeoutMs },
    ...STREAM_PATIENCE,
  });

/** An upstream URL, parsed once: where to send it, and whether its host is on this machine or network. */
interface Target {
  origin: string;
  path: string;
  local: boolean;
}

export class Transport {
  /** Pools by connect timeout: the default, plus one per distinct route value (a handful at most). */
  readonly #agents = new Map<string, Agent>();
  /** The user's proxies (settings): global and per provider, and their tunnelling agents per proxy and connect timeout. */
  #proxyUrl: string | null = null;
  #providerProxies: Record<string, string> = {};
  readonly #proxyAgents = new Map<string, ProxyAgent>();
  readonly #imageFetch: ImageFetchOptions;
  readonly #targets = new Map<string, Target>();

  constructor(options: TransportOptions = {}) {
    this.#imageFetch = options.imageFetch ?? {};
  }

  /**
   * Sends every later request through a proxy (http(s), CONNECT tunnels): a provider's own when it has
   * one, else the global `url`; directly when neither is set.
   */
  setProxies(url: string | null, perProvider: Record<string, string> = {}): void {
    if (url === this.#proxyUrl && JSON.stringify(perProvider) === JSON.stringify(this.#providerProxies)) return;
    this.#proxyUrl = url;
    this.#providerProxies = { ...perProvider };
    const old = [...this.#proxyAgents.values()];
    this.#proxyAgents.clear();
    // Requests already under way keep their tunnel; close() waits for them.
    for (const a of old) void a.close().catch(() => {});
  }

  async send(call: UpstreamCall, signal?: CancelSignal, options?: SendOptions): Promise<UpstreamResponse> {
    const { origin, path, local } = this.#target(call.url);
    const res = await this.#dispatcherFor(options, local).request({
      origin,
      path,
      method: call.method,
      headers: call.headers,
      body: call.body,
      // undici reads `aborted`, `reason` and the abort listeners of a signal, all a CancelSignal has
      // (its typings name AbortSignal or EventEmitter).
      signal: signal as AbortSignal | undefined,
    });
    return { status: res.statusCode, headers: res.headers, body: res.body as UpstreamResponse['body'] };
  }

  /**
   * Sends a request whose answer is wanted whole, as text (JSON answers, errors included): the same
   * pools, proxies and cancellation as `send`, without a body stream to read it through.
   */
  sendForText(call: UpstreamCall, signal?: CancelSignal, options?: SendOptions): Promise<UpstreamText> {
    const { origin, path, local } = this.#target(call.url);
    return dispatchForText(
      this.#dispatcherFor(options, local),
      { origin, path, method: call.method, headers: call.headers, body: call.body },
      signal,
    );
  }

  /**
   * The origin and path of an upstream URL, parsed once per URL: a provider's endpoints are a handful
   * of strings, and parsing one on every request cost more than the rest of sending it.
   */
  #target(url: string): Target {
    let t = this.#targets.get(url);
    if (!t) {
      const u = new URL(url);
      t = { origin: u.origin, path: `${u.pathname}${u.search}`, local: LOCAL_HOST.test(u.hostname) };
      // Bounded: URLs that carry a model or a query (Gemini, Azure) vary with the request.
      if (this.#targets.size >= MAX_PARSED_URLS) this.#targets.clear();
      this.#targets.set(url, t);
    }
    return t;
  }

  /**
   * The image at a public http(s) URL (image-fetch.ts keeps it off private addresses): at most the
   * configured size per image, and never more than `withinBytes` (what the request has left).
   */
  fetchImage(url: string, signal: AbortSignal, withinBytes: number): Promise<FetchedImage> {
    return fetchPublicImage(url, signal, {
      ...this.#imageFetch,
      maxBytes: Math.min(this.#imageFetch.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES, withinBytes),
    });
  }

  /** Closes pooled connections (a later request opens a fresh pool). */
  async close(): Promise<void> {
    const closing: Dispatcher[] = [...this.#agents.values(), ...this.#proxyAgents.values()];
    this.#agents.clear();
    this.#proxyAgents.clear();
    await Promise.all(closing.map((a) => a.close()));
  }

  #dispatcherFor(options: SendOptions | undefined, local: boolean): Dispatcher {
    const ms = options?.connectTimeoutMs ?? DEFAULT_CONNECT_MS;
    const proxy = (options?.providerId !== undefined ? this.#providerProxies[options.providerId] : undefined) ?? this.#proxyUrl;
    if (proxy) {
      const key = `${ms} ${proxy}`;
      let p = this.#proxyAgents.get(key);
      if (!p) this.#proxyAgents.set(key, (p = new ProxyAgent({ uri: proxy, connect: { timeout: ms }, ...STREAM_PATIENCE })));
      return p;
    }
    const key = `${ms}${local ? ' local' : ''}`;
    let a = this.#agents.get(key);
    if (!a) this.#agents.set(key, (a = newAgent(ms, local ? LOCAL_IDLE_MS : REMOTE_IDLE_MS)));
    return a;
  }
}

const attemptOptions = (attempt: AttemptRoute): SendOptions => ({
  connectTimeoutMs: attempt.timeouts?.connectMs,
  providerId: attempt.target.provider.id,
});

/** Sends one routing attempt's request: its signal, its route's connect timeout, its provider's proxy. */
export const sendAttempt = (attempt: AttemptRoute, call: UpstreamCall): Promise<UpstreamResponse> =>
  attempt.transport.send(call, attempt.signal, attemptOptions(attempt));

/** Sends one routing attempt's request as sendAttempt does, and reads its whole answer as text. */
export const sendAttemptForText = (attempt: AttemptRoute, call: UpstreamCall): Promise<UpstreamText> =>
  attempt.transport.sendForText(call, attempt.signal, attemptOptions(attempt));
