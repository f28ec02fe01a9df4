// HTTP transport for headless mode (`switchboard serve`): POST /app/rpc for calls and
// POST /app/stream for server-sent events, both authorised with the admin bearer token.
import type { RpcCall } from '../../shared/contract';
import { readSseJson } from './sse';
import type { Transport } from './transport';

export interface HttpTransportOptions {
  /** Origin the engine serves the app bridge on, e.g. `http://127.0.0.1:4141`. */
  baseUrl: string;
  token: string | null;
  fetch?: typeof fetch;
}

/** The engine answers failures as `{ error: { message } }`; fall back to the status line otherwise. */
async function errorFrom(response: Response): Promise<Error> {
  let message = `${response.status} ${response.statusText}`.trim();
  try {
    const body = (await response.json()) as { error?: { message?: unknown } };
    if (typeof body?.error?.message === 'string') message = body.error.message;
  } catch {
    // Not JSON: keep the status line.
  }
  if (response.status === 401) message = `${message} (open the UI link that \`switchboard serve\` printed, with its token)`;
  return new Error(message);
}

export function createHttpTransport(options: HttpTransportOptions): Transport {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const post = (path: string, call: RpcCall, signal?: AbortSignal) =>
    doFetch(new URL(path, options.baseUrl), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: JSON.stringify(call),
      signal,
    });

  return {
    async rpc(call) {
      const response = await post('/app/rpc', call);
      if (!response.ok) throw await errorFrom(response);
      const reply = (await response.json()) as { result?: unknown; error?: { message: string } };
      if (reply.error) throw new Error(reply.error.message);
      return reply.result;
    },
    async *stream(call, signal) {
      const response = await post('/app/stream', call, signal);
      if (!response.ok) throw await errorFrom(response);
      if (!response.body) throw new Error('The engine answered the stream without a body.');
      yield* readSseJson(response.body);
    },
  };
}
