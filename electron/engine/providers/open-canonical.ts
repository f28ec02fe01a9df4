// Opens a translated request upstream, for any protocol: builds the call from the canonical request,
// classifies a failure before the first token, and holds events back until that first token.
import { ResponseAccumulator } from '../canonical/accumulate';
import { classifyUpstreamError, type ErrorClass } from '../canonical/errors';
import { encodeOpenAIRequest } from '../canonical/openai-request';
import { OpenAIEventReader } from '../canonical/openai-stream';
import { isFirstToken, type CanonicalRequest, type CanonicalResponse, type StreamEvent } from '../canonical/types';
import type { Attempt } from '../router/failover';
import { AttemptError, isContextLengthError, retryAfterMs } from '../router/failures';
import type { Target } from '../router/resolve';
import { anthropicEvents, anthropicStreamCall } from './anthropic';
import { openAIChatEndpoint } from './endpoints';
import { geminiEvents, geminiStreamCall } from './gemini';
import { inlineImages } from './inline-images';
import { errorMessageFromBody } from './openai-compatible';
import { ollamaEvents, ollamaStreamCall } from './ollama';
import { presetFor } from './presets';
import { readSse } from './sse';
import { attemptSendOptions, sendUpstream, type UpstreamCall } from './transport';
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
  const body = encodeOpenAIRequest(req, target.model, { maxTokensField: own ? 'max_completion_tokens' : 'max_tokens', noSamplingWithReasoning: own });
  if (preset?.noStreamOptions) delete body.stream_options;
  const endpoint = openAIChatEndpoint(target.provider, target.model, apiKey);
  return { url: endpoint.url, method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...endpoint.headers }, body: JSON.stringify({ ...preset?.body, ...body }) };
}

async function* openAIEvents(body: Readable): AsyncGenerator<StreamEvent> {
  const reader = new OpenAIEventReader();
  for await (const sse of readSse(body)) {
    if (sse.data === '[DONE]') return;
    yield* reader.read(JSON.parse(sse.data) as Record<string, unknown>);
  }
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
  constructor(failureClass: AttemptError['failureClass'], readonly errorClass: ErrorClass, message: string, status: number, retryAfterMs?: number) {
    super(failureClass, message, status, retryAfterMs);
  }
}

/** The AttemptError for a non-200 answer, classified from status and the provider's error body. */
export function upstreamFailure(status: number, text: string, headers?: Record<string, string | string[] | undefined>): UpstreamError {
  const message = errorMessageFromBody(text) ?? `upstream answered ${status}`;
  const c = classifyUpstreamError(status, message);
  // The router acts on context-length (a larger window may help) and on Retry-After (cooldowns).
  const contextLength = c.errorClass === 'context-length' || isContextLengthError(status, text);
  return new UpstreamError(contextLength ? 'context-length' : c.failureClass, contextLength ? 'context-length' : c.errorClass, contextLength ? `context length exceeded: ${message}` : message, status, headers ? retryAfterMs(headers) : undefined);
}

/** Turns a pre-first-token stream problem into an AttemptError the router can act on. */
export function streamFailure(error: unknown): unknown {
  if (error instanceof AttemptError) return error;
  if (error instanceof SyntaxError) return new AttemptError('malformed', `upstream sent malformed stream data: ${error.message}`, 200);
  const message = (error as Error).message ?? '';
  if (message.startsWith('upstream stream error')) return new AttemptError(/overloaded|UNAVAILABLE/i.test(message) ? 'overloaded' : 'server', message, 200);
  return error;
}

export async function openCanonicalStream(req: CanonicalRequest, attempt: Attempt): Promise<OpenedEvents> {
  const adapter = ADAPTERS[attempt.target.provider.kind];
  if (!adapter) throw new AttemptError('unsupported', `provider kind "${attempt.target.provider.kind}" has no adapter`);
  const kind = attempt.target.provider.kind;
  const ready = kind === 'gemini' || kind === 'ollama' ? await inlineImages(req, attempt.signal) : req;
  const res = await sendUpstream(adapter.call(ready, attempt.target, attempt.key.secret), attempt.signal, attemptSendOptions(attempt));
  if (res.status !== 200) throw upstreamFailure(res.status, await res.body.text().catch(() => ''), res.headers);
  const rest = adapter.events(res.body);
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
    throw streamFailure(error);
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
    throw streamFailure(error);
  }
  const r = acc.result();
  if (!r.model) r.model = attempt.target.model;
  return r;
}
