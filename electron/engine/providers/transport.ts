// Sends upstream requests over one kept-alive undici pool per origin, with abort and timeouts.
import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';
import type { Readable } from 'node:stream';

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

/** One dispatcher for the whole engine: undici pools connections per origin inside it. */
const newAgent = (connectTimeoutMs = 10_000) => new Agent({
  keepAliveTimeout: 30_000,
  keepAliveMaxTimeout: 600_000,
  connections: 256,
  connect: { timeout: connectTimeoutMs },
  // Streams may pause for long stretches while a model thinks; the route's own timeouts apply on top.
  headersTimeout: 300_000,
  bodyTimeout: 300_000,
});
let agent: Agent | null = null;
/** Routes with their own connect timeout get their own pool (a handful at most: one per distinct value). */
const agentsByConnectTimeout = new Map<number, Agent>();

export interface SendOptions {
  /** TCP/TLS connect timeout for this request (the route's `timeouts.connectMs`). */
  connectTimeoutMs?: number;
  /** The provider this request is for: its own proxy (settings), when set, wins over the global one. */
  providerId?: string;
}

/** Options for a request made in a routing attempt: its route's connect timeout and its provider's proxy. */
export const attemptSendOptions = (attempt: { target: { provider: { id: string } }; timeouts?: { connectMs: number } }): SendOptions => ({
  connectTimeoutMs: attempt.timeouts?.connectMs,
  providerId: attempt.target.provider.id,
});

/** The user's proxies (settings): global and per provider, and their tunnelling agents per proxy and connect timeout. */
let proxyUrl: string | null = null;
let providerProxies: Record<string, string> = {};
const proxyAgents = new Map<string, ProxyAgent>();

/**
 * Sends every later upstream request through a proxy (http(s), CONNECT tunnels): a provider's own
 * when it has one, else the global `url`; directly when neither is set.
 */
export function setUpstreamProxy(url: string | null, perProvider: Record<string, string> = {}): void {
  if (url === proxyUrl && JSON.stringify(perProvider) === JSON.stringify(providerProxies)) return;
  proxyUrl = url;
  providerProxies = { ...perProvider };
  const old = [...proxyAgents.values()];
  proxyAgents.clear();
  // Requests already under way keep their tunnel; close() waits for them.
  for (const a of old) void a.close().catch(() => {});
}

function dispatcherFor(options: SendOptions | undefined): Dispatcher {
  const ms = options?.connectTimeoutMs;
  const proxy = (options?.providerId !== undefined ? providerProxies[options.providerId] : undefined) ?? proxyUrl;
  if (proxy) {
    const timeout = ms ?? 10_000;
    const key = `${timeout} ${proxy}`;
    let p = proxyAgents.get(key);
    if (!p) proxyAgents.set(key, (p = new ProxyAgent({ uri: proxy, connect: { timeout }, headersTimeout: 300_000, bodyTimeout: 300_000 })));
    return p;
  }
  if (ms === undefined || ms === 10_000) return (agent ??= newAgent());
  let a = agentsByConnectTimeout.get(ms);
  if (!a) agentsByConnectTimeout.set(ms, (a = newAgent(ms)));
  return a;
}

export async function sendUpstream(call: UpstreamCall, signal?: AbortSignal, options?: SendOptions): Promise<UpstreamResponse> {
  const res = await request(call.url, {
    method: call.method,
    headers: call.headers,
    body: call.body,
    signal,
    dispatcher: dispatcherFor(options),
  });
  return { status: res.statusCode, headers: res.headers, body: res.body as UpstreamResponse['body'] };
}

/** Closes pooled connections (a later request opens a fresh pool). */
export async function closeTransport(): Promise<void> {
  const closing: Array<Dispatcher | null> = [agent, ...agentsByConnectTimeout.values(), ...proxyAgents.values()];
  agent = null;
  agentsByConnectTimeout.clear();
  proxyAgents.clear();
  await Promise.all(closing.map((a) => a?.close()));
}
