// Opens a request from an Anthropic client: passed through to Anthropic targets (fast path, events
// forwarded as they are), translated for every other kind; either way the client gets Anthropic SSE.
import { anthropicResponseBody, AnthropicFrameEncoder } from './anthropic-stream';
import { UpstreamStreamError } from '../../canonical/errors';
import { tallyAnthropicDelta, TextTally } from '../../canonical/text-tally';
import type { CanonicalRequest, StreamEvent } from '../../canonical/types';
import { fromAnthropicUsage, type Usage } from '../../canonical/usage';
import type { Attempt } from '../../router/failover';
import { anthropicPassCall } from './anthropic';
import { holdUntilFirstToken } from '../first-token';
import { openCanonicalResponse, openCanonicalStream, upstreamFailure } from '../open-canonical';
import { parseAnswer, type OpenedJson, type OpenedStream } from '../openai/openai-open';
import type { SseEvent } from '../sse';
import { ANTHROPIC_STREAM_WATCH } from '../stream-watch';
import { sendAttempt, sendAttemptForText } from '../transport';

export interface AnthropicClientHeaders {
  version?: string;
  beta?: string;
}

const FIRST = new Set(['content_block_start', 'content_block_delta', 'message_delta', 'message_stop']);

/** An empty text or thinking block opening shows the client nothing yet: a failure after it can still fail over. */
const emptyBlockStart = (b: { type?: string; text?: unknown; thinking?: unknown } | undefined): boolean =>
  (b?.type === 'text' && !b.text) || (b?.type === 'thinking' && !b.thinking);

export async function openAnthropicPassStream(
  body: Record<string, unknown>,
  client: AnthropicClientHeaders,
  attempt: Attempt,
): Promise<OpenedStream> {
  const res = await sendAttempt(attempt, anthropicPassCall(body, attempt.target, attempt.key.secret, client));
  if (res.status !== 200) throw upstreamFailure(res.status, await res.body.text().catch(() => ''), res.headers, attempt.key.secret);
  return holdUntilFirstToken(
    res.body,
    (event) => {
      // Parsing the few events before the first token lets a malformed stream fail over.
      const e = JSON.parse(event.data) as { error?: { type?: string; message?: string }; content_block?: { type?: string } };
      if (event.event === 'error') throw new UpstreamStreamError(`${e.error?.type ?? 'error'}: ${e.error?.message ?? ''}`);
      if (event.event === 'content_block_start' && emptyBlockStart(e.content_block)) return false;
      return FIRST.has(event.event ?? '');
    },
    attempt.key.secret,
    ANTHROPIC_STREAM_WATCH,
  );
}

export async function openAnthropicPassJson(
  body: Record<string, unknown>,
  client: AnthropicClientHeaders,
  attempt: Attempt,
): Promise<OpenedJson> {
  const { status, headers, text } = await sendAttemptForText(attempt, anthropicPassCall(body, attempt.target, attempt.key.secret, client));
  if (status !== 200) throw upstreamFailure(status, text, headers, attempt.key.secret);
  const json = parseAnswer(text, 'content', 'an Anthropic message');
  return { text, json, usage: fromAnthropicUsage(json.usage) };
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
  private sawDelta = false;
  /** Set when the upstream sent an `error` event mid-stream (forwarded as is; the request failed). */
  error: string | null = null;
  /** The streamed text, counted by the ledger when the output tokens were never reported. */
  readonly text = new TextTally();

  read(event: SseEvent): void {
    if (event.usage) this.exact = event.usage;
    const name = event.event;
    if (name === 'error')
      this.error = (JSON.parse(event.data) as { error?: { message?: string } }).error?.message ?? 'upstream error event';
    if (name === 'content_block_delta') {
      this.sawContent = true;
      tallyAnthropicDelta(this.text, event.data);
    } else if (name === 'message_start') this.raw = { ...(JSON.parse(event.data) as { message?: { usage?: object } }).message?.usage };
    else if (name === 'message_delta') {
      this.sawDelta = true;
      for (const [k, v] of Object.entries((JSON.parse(event.data) as { usage?: object }).usage ?? {}))
        if (typeof v === 'number') this.raw[k] = v;
    }
  }

  /** message_start's output_tokens is a placeholder (1): before a message_delta the output is unreported (0). */
  finalUsage(): Usage | null {
    if (this.exact) return this.exact;
    const usage = Object.keys(this.raw).length ? fromAnthropicUsage(this.raw) : null;
    if (usage && !this.sawDelta) usage.outputTokens = 0;
    return usage;
  }
}
