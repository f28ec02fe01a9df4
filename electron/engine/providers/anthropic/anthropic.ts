// Adapter for Anthropic's Messages API: the translated call (canonical -> /v1/messages), the
// pass-through call for Anthropic clients (body forwarded, only `model` rewritten), and the stream reader.
import { encodeAnthropicRequest } from './anthropic-request';
import { AnthropicEventReader } from './anthropic-stream';
import { StreamTruncatedError } from '../../canonical/stream-errors';
import type { CanonicalRequest, StreamEvent } from '../../canonical/types';
import type { ProviderConfig } from '../../settings/config-schema';
import type { Target } from '../../router/resolve';
import { readSse } from '../sse';
import type { UpstreamCall } from '../transport';
import type { Readable } from 'node:stream';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
export const ANTHROPIC_VERSION = '2023-06-01';

/** Base URL without `/v1` (the SDK convention); a configured `.../v1` works too. */
export function anthropicBase(provider: Pick<ProviderConfig, 'baseUrl'>): string {
  return (provider.baseUrl ?? ANTHROPIC_DEFAULT_BASE_URL).replace(/\/+$/, '').replace(/\/v1$/, '');
}

/** The headers of a call to Anthropic; `accept` is set here, not spread in after (a spread that adds a key is slow on Node 20). */
export function anthropicHeaders(
  apiKey: string,
  client?: { version?: string; beta?: string },
  accept = 'application/json',
): Record<string, string> {
  const h: Record<string, string> = {
    'content-type': 'application/json',
    accept,
    'x-api-key': apiKey,
    'anthropic-version': client?.version ?? ANTHROPIC_VERSION,
  };
  if (client?.beta) h['anthropic-beta'] = client.beta;
  return h;
}

export function anthropicStreamCall(req: CanonicalRequest, target: Target, apiKey: string): UpstreamCall {
  return {
    url: `${anthropicBase(target.provider)}/v1/messages`,
    method: 'POST',
    headers: anthropicHeaders(apiKey, undefined, 'text/event-stream'),
    body: JSON.stringify(encodeAnthropicRequest(req, target.model)),
  };
}

/** Fast path: the client's own body with the target's model; unknown fields survive. */
export function anthropicPassCall(
  body: Record<string, unknown>,
  target: Target,
  apiKey: string,
  client: { version?: string; beta?: string },
  path = '/v1/messages',
): UpstreamCall {
  return {
    url: `${anthropicBase(target.provider)}${path}`,
    method: 'POST',
    headers: anthropicHeaders(apiKey, client, body.stream === true ? 'text/event-stream' : 'application/json'),
    body: JSON.stringify({ ...body, model: target.model }),
  };
}

export async function* anthropicEvents(body: Readable): AsyncGenerator<StreamEvent> {
  const reader = new AnthropicEventReader();
  let stopped = false;
  for await (const sse of readSse(body)) {
    const data = JSON.parse(sse.data) as Record<string, unknown>;
    if ((data.type ?? sse.event) === 'message_stop') stopped = true;
    for (const e of reader.read(sse.event, data)) yield e;
  }
  if (!stopped) throw new StreamTruncatedError('Anthropic', 'message_stop');
}
