// Opens a translated request upstream, for any protocol: builds the call from the canonical request,
// classifies a failure before the first token, and holds events back until that first token.
import { ResponseAccumulator } from '../canonical/accumulate';
import { classifyUpstreamError, UpstreamStreamError, type ErrorClass } from '../canonical/errors';
import { encodeOpenAIRequest } from './openai/openai-request';
import { OpenAIEventReader } from './openai/openai-stream';
import { StreamTruncatedError } from '../canonical/stream-errors';
import { isFirstToken, type CanonicalRequest, type CanonicalResponse, type StreamEvent } from '../canonical/types';
import type { Attempt } from '../router/failover';
import { AttemptError, isContextLengthError, retryAfterMs } from '../router/failures';
import { limitScope } from '../router/limit-scope';
import type { Target } from '../router/resolve';
import { anthropicEvents, anthropicStreamCall } from './anthropic/anthropic';
import { openAIChatEndpoint } from './endpoints';
import { geminiEvents, geminiStreamCall } from './gemini/gemini';
import { inlineImages } from './inline-images';
import { errorMessageFromBody } from './openai/openai-compatible';
import { ollamaEvents, ollamaStreamCall } from './ollama/ollama';
import { presetFor } from './presets';
import { redactError, redactKeys, withRedactedErrors } from './redact';
import { readSse } from './sse';
import { sendAttempt, type UpstreamCall } from './transport';
import type { Readable } from 'node:stream';

export interface OpenedEvents {
  head: StreamEvent[];
  rest: AsyncGenerator<StreamEvent>;
}

interface ProtocolAdapter {
  call(req: CanonicalRequest, target: Target, apiKey: string): UpstreamCall;
  events(body: Readable): AsyncGenerator<StreamEvent>;
}

function openAICall(req: CanonicalRequest, target: Target, apiKey: string): UpstreamCall {
  const preset = presetFor(target.provider);
  const own = target.provider.kind === 'openai' || target.provider.kind === 'azure-openai';
  const body = encodeOpenAIRequest(req, target.model, {
    maxTokensField: own ? 'max_completion_tokens' : 'max_tokens',
    noSamplingWithReasoning: own,
  });
  if (preset?.noStreamOptions) delete body.stream_options;
  const endpoint = openAIChatEndpoint(target.provider, target.model, apiKey);
  return {
    url: endpoint.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...endpoint.headers },
    body: JSON.stringify({ ...preset?.body, ...body }),
  };
}

async function* openAIEvents(body: Readable): AsyncGenerator<StreamEvent> {
  const reader = new OpenAIEventReader();
  let finished = false;
  for await (const sse of readSse(body)) {
    if (sse.data === '[DONE]') return;
    for (const e of reader.read(JSON.parse(sse.data) as Record<string, unknown>)) {
      if (e.type === 'finish') finished = true;
      yield e;
    }
  }
  // Some servers end at the finish_reason without [DONE]; a stream with neither was cut short.
  if (!finished) throw new StreamTruncatedError('OpenAI', 'a finish_reason or data: [DONE]');
}

const OPENAI: ProtocolAdapter = { call: openAICall, events: openAIEvents };
const ADAPTERS: Record<string, ProtocolAdapter> = {
  openai: OPENAI,
  'openai-compatible': OPENAI,
  'azure-openai': OPENAI,
  anthropic: { call: anthropicStreamCall, events: anthropicEvents },
  gemini: { call: geminiStreamCall, events: geminiEvents },
  ollama: { call: ollamaStreamCall, events: ollamaEvents },
};

export const isOpenAIProtocol = (kind: string): boolean => kind === 'openai' || kind === 'openai-compatible' || kind === 'azure-openai';

/** An attempt that failed with an upstream error answer, with the finer canonical class beside the router's. */
export class UpstreamError extends AttemptError {
  constructor(
    failureClass: AttemptError['failureClass'],
    readonly errorClass: ErrorClass,
    message: string,
    status: number,
    retryAfterMs?: number,
  ) {
    super(failureClass, message, status, retryAfterMs);
  }
}

/** Redirects are not followed (the key would go where the user did not send it): say where it pointed. */
function redirected(status: number, headers: Record<string, string | string[] | undefined> | undefined, secret: string): string {
  const raw = headers?.location;
  const location = Array.isArray(raw) ? raw[0] : raw;
  let where = '';
  try {
    // Origin and path only: a query string is where a key or token would ride.
    const url = location ? new URL(location) : null;
    if (url) where = ` to ${redactKeys(url.origin + url.pathname, [secret])}`;
  } catch {
    // a relative or unparsable Location: the status says enough
  }
  return `the provider redirected (${status}${where}); upstream redirects are not followed: check the provider's base URL`;
}

/**
 * The AttemptError for a non-200 answer, classified from status and the provider's error body. Its
 * message has `secret` (the key this request sent) and anything key-shaped redacted: providers echo keys.
 */
export function upstreamFailure(
  status: number,
  text: string,
  headers?: Record<string, string | string[] | undefined>,
  secret = '',
): UpstreamError {
  const message =
    status >= 300 && status < 400
      ? redirected(status, headers, secret)
      : (errorMessageFromBody(text, [secret]) ?? `upstream answered ${status}`);
  const c = classifyUpstreamError(status, message);
  // The router acts on context-length (a larger window may help) and on Retry-After (cooldowns).
  const contextLength = c.errorClass === 'context-length' || isContextLengthError(status, text);
  const error = new UpstreamError(
    contextLength ? 'context-length' : c.failureClass,
    contextLength ? 'context-length' : c.errorClass,
    contextLength ? `context length exceeded: ${message}` : message,
    status,
    headers ? retryAfterMs(headers) : undefined,
  );
  error.scope = limitScope(status, text); // a 429 cools one model on the key, unless the account is out
  return error;
}

/** Turns a pre-first-token stream problem into an AttemptError the router can act on, `secret` redacted. */
export function streamFailure(error: unknown, secret = ''): unknown {
  const secrets = [secret];
  if (error instanceof AttemptError) return redactError(error, secrets);
  if (error instanceof SyntaxError)
    return new AttemptError('malformed', `upstream sent malformed stream data: ${redactError(error, secrets).message}`, 200);
  if (error instanceof UpstreamStreamError) {
    const message = redactKeys(error.message, secrets);
    return new AttemptError(/overloaded|UNAVAILABLE/i.test(message) ? 'overloaded' : 'server', message, 200);
  }
  return redactError(error, secrets);
}

export async function openCanonicalStream(req: CanonicalRequest, attempt: Attempt): Promise<OpenedEvents> {
  const adapter = ADAPTERS[attempt.target.provider.kind];
  if (!adapter) throw new AttemptError('unsupported', `provider kind "${attempt.target.provider.kind}" has no adapter`);
  const kind = attempt.target.provider.kind;
  const ready = kind === 'gemini' || kind === 'ollama' ? await inlineImages(req, attempt.signal, attempt.transport) : req;
  const res = await sendAttempt(attempt, adapter.call(ready, attempt.target, attempt.key.secret));
  if (res.status !== 200) throw upstreamFailure(res.status, await res.body.text().catch(() => ''), res.headers, attempt.key.secret);
  // Errors after the first token leave through `rest` to the client, the ledger and the UI.
  const rest = withRedactedErrors(adapter.events(res.body), attempt.key.secret);
  const head: StreamEvent[] = [];
  try {
    for (;;) {
      const next = await rest.next();
      if (next.done) {
        if (head.length === 0) throw new AttemptError('malformed', 'upstream stream ended before the first token', 200);
        return { head, rest };
      }
      head.push(next.value);
      if (isFirstToken(next.value)) return { head, rest };
    }
  } catch (error) {
    res.body.destroy();
    throw streamFailure(error, attempt.key.secret);
  }
}

/** A whole reply: read to the end before answering, so any failure can still fail over. */
export async function openCanonicalResponse(req: CanonicalRequest, attempt: Attempt): Promise<CanonicalResponse> {
  const opened = await openCanonicalStream(req, attempt);
  const acc = new ResponseAccumulator();
  try {
    for (const e of opened.head) acc.add(e);
    for await (const e of opened.rest) acc.add(e);
  } catch (error) {
    throw streamFailure(error, attempt.key.secret);
  }
  const r = acc.result();
  if (!r.model) r.model = attempt.target.model;
  return r;
}
