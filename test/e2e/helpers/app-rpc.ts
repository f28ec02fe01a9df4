// Talks to a running `switchboard serve` the way the UI does (the app bridge, with the admin token),
// so a spec can seed state (tokens, budgets, requests) without clicking through other screens.
import type { ServeHandle } from './serve';

/** What the calls need of a running `serve`: its address and the UI line's admin token. */
type Served = Pick<ServeHandle, 'url' | 'uiUrl'>;

const adminToken = (serve: Served) => new URL(serve.uiUrl).searchParams.get('token') ?? '';

/** One app-service call: `rpc(serve, 'tokens', 'create', { name: 'cursor' })`. */
export async function rpc<T = unknown>(serve: Served, service: string, method: string, ...params: unknown[]): Promise<T> {
  const res = await fetch(`${serve.url}/app/rpc`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken(serve)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ service, method, params }),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (!res.ok) throw new Error(`${service}.${method}: ${body.error?.message ?? res.status}`);
  return body.result as T;
}

/** One chat reply through the app bridge (as the chat screen sends it), read to its end. */
export async function appChat(serve: ServeHandle, model: string, prompt = 'hello there'): Promise<string> {
  const res = await fetch(`${serve.url}/app/stream`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken(serve)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ service: 'chat', method: 'stream', params: [{ model, messages: [{ role: 'user', content: prompt }] }] }),
  });
  return res.text();
}

/** One request on the port with a client token (as a tool sends it). */
export function portChat(serve: ServeHandle, token: string, model: string): Promise<Response> {
  return fetch(`${serve.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }] }),
  });
}
