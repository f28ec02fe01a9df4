// Adapter for OpenAI Chat Completions and every OpenAI-compatible base URL: builds the upstream
// request from an OpenAI-shaped body (fast path: only `model` and usage options change).
import type { UpstreamCall } from './transport';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAIChatTarget {
  baseUrl: string;
  model: string;
  apiKey: string;
}

/**
 * Rewrites the client's body for the upstream. Unknown fields pass through untouched. For streams
 * we always ask for usage (so the ledger is exact) and the caller hides the extra chunk when the
 * client did not ask for it.
 */
export function buildChatCall(body: Record<string, unknown>, target: OpenAIChatTarget): UpstreamCall {
  const upstreamBody: Record<string, unknown> = { ...body, model: target.model };
  if (body.stream === true) {
    const clientOptions = (body.stream_options ?? {}) as Record<string, unknown>;
    upstreamBody.stream_options = { ...clientOptions, include_usage: true };
  }
  return {
    url: `${target.baseUrl.replace(/\/+$/, '')}/chat/completions`,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: body.stream === true ? 'text/event-stream' : 'application/json',
      authorization: `Bearer ${target.apiKey}`,
    },
    body: JSON.stringify(upstreamBody),
  };
}

/** Pulls the human message out of an OpenAI-style error body, if there is one. */
export function errorMessageFromBody(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
    if (parsed.error && typeof parsed.error.message === 'string') return parsed.error.message;
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: fall through
  }
  return text ? text.slice(0, 300) : undefined;
}
