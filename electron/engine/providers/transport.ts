// Sends upstream requests over one kept-alive undici pool per origin, with abort and timeouts.
import { Agent, request } from 'undici';
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
const newAgent = () => new Agent({
  keepAliveTimeout: 30_000,
  keepAliveMaxTimeout: 600_000,
  connections: 256,
  connect: { timeout: 10_000 },
  // Streams may pause for long stretches while a model thinks; the route's own timeouts apply on top.
  headersTimeout: 300_000,
  bodyTimeout: 300_000,
});
let agent: Agent | null = null;

export async function sendUpstream(call: UpstreamCall, signal?: AbortSignal): Promise<UpstreamResponse> {
  const res = await request(call.url, {
    method: call.method,
    headers: call.headers,
    body: call.body,
    signal,
    dispatcher: (agent ??= newAgent()),
  });
  return { status: res.statusCode, headers: res.headers, body: res.body as UpstreamResponse['body'] };
}

/** Closes pooled connections (a later request opens a fresh pool). */
export async function closeTransport(): Promise<void> {
  const closing = agent;
  agent = null;
  await closing?.close();
}
