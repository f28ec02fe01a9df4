// Adapter for OpenAI Chat Completions, Azure OpenAI and every OpenAI-compatible base URL: builds the
// upstream request from an OpenAI-shaped body (fast path: only `model` and usage options change).
import type { ProviderConfig } from '../../settings/config-schema';
import { openAIChatEndpoint } from '../endpoints';
import { presetFor } from '../presets';
import { redactKeys } from '../redact';
import type { UpstreamCall } from '../transport';

export { OPENAI_DEFAULT_BASE_URL } from '../endpoints';

/**
 * Rewrites the client's body for the upstream. Unknown fields pass through untouched. For streams
 * we always ask for usage (so the ledger is exact) and the caller hides the extra chunk when the
 * client did not ask for it.
 */
export function buildChatCall(body: Record<string, unknown>, provider: ProviderConfig, model: string, apiKey: string): UpstreamCall {
  const preset = presetFor(provider);
  const upstreamBody: Record<string, unknown> = { ...preset?.body, ...body, model };
  if (body.stream === true && !preset?.noStreamOptions) {
    const clientOptions = (body.stream_options ?? {}) as Record<string, unknown>;
    upstreamBody.stream_options = { ...clientOptions, include_usage: true };
  }
  const endpoint = openAIChatEndpoint(provider, model, apiKey);
  return {
    url: endpoint.url,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: body.stream === true ? 'text/event-stream' : 'application/json',
      ...endpoint.headers,
    },
    body: JSON.stringify(upstreamBody),
  };
}

/**
 * Pulls the human message out of an error body (OpenAI, Anthropic, Gemini and Ollama shapes), if there
 * is one, with `secrets` and anything key-shaped redacted (providers echo the key they refused).
 */
export function errorMessageFromBody(text: string, secrets: readonly string[] = []): string | undefined {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof parsed.error === 'string') return redactKeys(parsed.error, secrets);
    if (parsed.error && typeof parsed.error.message === 'string') return redactKeys(parsed.error.message, secrets);
    if (typeof parsed.message === 'string') return redactKeys(parsed.message, secrets);
  } catch {
    // not JSON: fall through
  }
  // Redacted before the cut, which could otherwise leave half a key that no longer looks like one.
  return text ? redactKeys(text, secrets).slice(0, 300) : undefined;
}
