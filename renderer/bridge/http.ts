// HTTP transport for headless mode (`switchboard serve`): POST /app/rpc for calls, and every stream
// multiplexed over the page's one event channel (event-channel.ts), all authorised with the admin
// bearer token.
import { createEventChannel } from './event-channel';
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
  const post = (path: string, body: unknown) =>
    doFetch(new URL(path, options.baseUrl), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: JSON.stringify(body),
    });
  // One long-lived connection for all streams, so calls never wait behind them for a free connection.
  const channel = createEventChannel(post, errorFrom);

  return {
    async rpc(call) {
      const response = await post('/app/rpc', call);
      if (!response.ok) throw await errorFrom(response);
      const reply = (await response.json()) as { result?: unknown; error?: { message: string } };
      if (reply.error) throw new Error(reply.error.message);
      return reply.result;
    },
    stream(call, signal) {
      return channel.stream(call, signal);
    },
  };
}
