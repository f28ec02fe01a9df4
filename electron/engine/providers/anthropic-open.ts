// Opens a request from an Anthropic client: passed through to Anthropic targets (fast path, events
// forwarded as they are), translated for every other kind; either way the client gets Anthropic SSE.
import { anthropicResponseBody, AnthropicFrameEncoder } from '../canonical/anthropic-stream';
import type { CanonicalRequest, StreamEvent } from '../canonical/types';
import { fromAnthropicUsage, type Usage } from '../canonical/usage';
import type { Attempt } from '../router/failover';
import { AttemptError } from '../router/failures';
import { anthropicPassCall } from './anthropic';
import { holdUntilFirstToken } from './first-token';
import { openCanonicalResponse, openCanonicalStream, upstreamFailure } from './open-canonical';
import type { OpenedJson, OpenedStream } from './openai-open';
import type { SseEvent } from './sse';
import { attemptSendOptions, sendUpstream } from './transport';

export interface AnthropicClientHeaders {
  version?: string;
  beta?: string;
}

const FIRST = new Set(['content_block_start', 'content_block_delta', 'message_delta', 'message_stop']);

export async function openAnthropicPassStream(body: Record<string, unknown>, client: AnthropicClientHeaders, attempt: Attempt): Promise<OpenedStream> {
  const res = await sendUpstream(anthropicPassCall(body, attempt.target, attempt.key.secret, client), attempt.signal, attemptSendOptions(attempt));
  if (res.status !== 200) throw upstreamFailure(res.status, await res.body.text().catch(() => ''), res.headers);
  return holdUntilFirstToken(res.body, (event) => {
    // Parsing the few events before the first token lets a malformed stream fail over.
    const e = JSON.parse(event.data) as { error?: { type?: string; message?: string } };
    if (event.event === 'error') throw new Error(`upstream stream error: ${e.error?.type ?? 'error'}: ${e.error?.message ?? ''}`);
    return FIRST.has(event.event ?? '');
  });
}

export async function openAnthropicPassJson(body: Record<string, unknown>, client: AnthropicClientHeaders, attempt: Attempt): Promise<OpenedJson> {
  const res = await sendUpstream(anthropicPassCall(body, attempt.target, attempt.key.secret, client), attempt.signal, attemptSendOptions(attempt));
  const text = await res.body.text();
  if (res.status !== 200) throw upstreamFailure(res.status, text, res.headers);
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    return { text, json, usage: fromAnthropicUsage(json.usage) };
  } catch {
    throw new AttemptError('malformed', 'upstream sent a body that is not JSON', 200);
  }
}

async function* encodeRest(rest: AsyncGenerator<StreamEvent>, enc: AnthropicFrameEncoder): AsyncGenerator<SseEvent> {
  for await (const e of rest) yield* enc.encode(e);
  yield* enc.end();
}

export async function openTranslatedAnthropicStream(req: CanonicalRequest, attempt: Attempt): Promise<OpenedStream> {
  const opened = await openCanonicalStream(req, attempt);
  const enc = new AnthropicFrameEncoder(attempt.target.model);
  const head: SseEvent[] = [];
  for (const e of opened.head) head.push(...enc.encode(e));
  return { head, rest: encodeRest(opened.rest, enc) };
}

export async function openTranslatedAnthropicJson(req: CanonicalRequest, attempt: Attempt): Promise<OpenedJson> {
  const r = await openCanonicalResponse(req, attempt);
  const json = anthropicResponseBody(r, attempt.target.model);
  return { text: JSON.stringify(json), json, usage: r.usage };
}

/** Taps usage from Anthropic SSE as it passes (message_start, then cumulative message_delta). */
export class AnthropicStreamTap {
  private raw: Record<string, unknown> = {};
  private exact: Usage | null = null;
  sawContent = false;
  /** Set when the upstream sent an `error` event mid-stream (forwarded as is; the request failed). */
  error: string | null = null;

  read(event: SseEvent): void {
    if (event.usage) this.exact = event.usage;
    const name = event.event;
    if (name === 'error') this.error = (JSON.parse(event.data) as { error?: { message?: string } }).error?.message ?? 'upstream error event';
    if (name === 'content_block_delta') this.sawContent = true;
    else if (name === 'message_start') this.raw = { ...(JSON.parse(event.data) as { message?: { usage?: object } }).message?.usage };
    else if (name === 'message_delta') {
      for (const [k, v] of Object.entries((JSON.parse(event.data) as { usage?: object }).usage ?? {})) if (typeof v === 'number') this.raw[k] = v;
    }
  }

  finalUsage(): Usage | null {
    return this.exact ?? (Object.keys(this.raw).length ? fromAnthropicUsage(this.raw) : null);
  }
}
