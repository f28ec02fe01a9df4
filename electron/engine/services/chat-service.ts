// The chat screen's service: sends a conversation through the same start (routed.ts), router and
// ledger as the port, and turns the upstream stream into the contract's ChatStreamEvents. What each
// exchange leaves in the conversation store is chat-record.ts's; chat.stop is chat-stops.ts's.
import type { ChatService } from '../../../shared/contract';
import type { ChatMessage, ChatRequest, ChatStreamEvent } from '../../../shared/types';
import type { RequestMeter } from '../accounting';
import type { RequestRecord } from '../ledger/types';
import { APP_CLIENT } from '../ledger/types';
import { OpenAIStreamTap } from '../providers/openai/openai-chunks';
import { startRouted, type Routed, type RoutingParts } from '../routed';
import { dispatchStream, type StreamServed } from '../router/dispatch';
import type { RoutingError } from '../router/failures';
import { ChatRecord } from './chat-record';
import { ChatStops } from './chat-stops';
import { ToolCallCollector } from './chat-tool-calls';
import { withFields } from '../with-fields';

/** Checks image parts: a `data:image/...` URL or an https URL, nothing else reaches an upstream. */
function checkContent(content: ChatMessage['content']): void {
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) throw new Error('a message content must be text or a list of parts');
  for (const part of content) {
    if (part?.type === 'text' && typeof part.text === 'string') continue;
    const url = part?.type === 'image_url' ? part.image_url?.url : undefined;
    if (typeof url === 'string' && (/^data:image\/(png|jpeg|gif|webp);base64,/.test(url) || url.startsWith('https://'))) continue;
    throw new Error('a message part must be {type:"text"} or {type:"image_url"} with a data:image/… or https URL');
  }
}

function toOpenAIBody(request: ChatRequest): Record<string, unknown> {
  if (!request || typeof request.model !== 'string' || !Array.isArray(request.messages) || request.messages.length === 0) {
    throw new Error('a chat request needs a model and at least one message');
  }
  for (const m of request.messages) checkContent(m?.content);
  if (request.systemPrompt !== undefined && (typeof request.systemPrompt !== 'string' || request.systemPrompt.length > 100_000)) {
    throw new Error('a system prompt is text of at most 100,000 characters');
  }
  const t = request.temperature;
  if (t !== undefined && (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || t > 2))
    throw new Error('temperature must be a number from 0 to 2');
  // The conversation's system prompt goes first, every time; it is stored with the conversation, not as a message.
  const messages = request.systemPrompt?.trim()
    ? [{ role: 'system', content: request.systemPrompt }, ...request.messages]
    : request.messages;
  const body: Record<string, unknown> = { model: request.model, messages, stream: true };
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
  if (t !== undefined) body.temperature = t;
  if (request.reasoningEffort !== undefined) {
    if (!['low', 'medium', 'high'].includes(request.reasoningEffort)) throw new Error('reasoningEffort must be low, medium or high');
    body.reasoning_effort = request.reasoningEffort;
  }
  return body;
}

export function createChatService(deps: RoutingParts): ChatService {
  const stops = new ChatStops();
  return {
    async stop(stopId: string) {
      return stops.stop(stopId);
    },
    async *stream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatStreamEvent> {
      const body = toOpenAIBody(request);
      const stop = stops.register(request.stopId);
      try {
        yield* streamReply(deps, request, body, signal ?? new AbortController().signal, stop?.signal);
      } finally {
        stop?.release();
      }
    },
  };
}

/** One exchange: what every step of its reply reads. */
interface Exchange {
  readonly record: ChatRecord | undefined;
  /** The caller's transport: aborted when the caller goes away (nobody hears what follows). */
  readonly transport: AbortSignal;
  /** chat.stop's: aborted when the caller asks for an early end (it still listens, and gets its `done`). */
  readonly userStop: AbortSignal | undefined;
  /** Either of the two: what the router and the upstream stream are cut by. */
  readonly abort: AbortSignal;
  /** Soft budgets let the request through; the chat shows their message (the port sends it as a header). */
  readonly warnings: string[];
}

/** Who cut an exchange short: the caller's stop (it listens on) or the caller going away. */
type Cut = 'stopped' | 'gone';
const cutBy = (x: Exchange): Cut => (x.userStop?.aborted === true && !x.transport.aborted ? 'stopped' : 'gone');

/** How a reply that began streaming ended: the upstream's end, a cut, or the upstream breaking mid-stream. */
type Ending = { kind: 'finished' } | { kind: Cut } | { kind: 'failed'; reason: string | undefined };
const FINISHED: Ending = { kind: 'finished' };
const ENDINGS: Record<Cut, Ending> = { stopped: { kind: 'stopped' }, gone: { kind: 'gone' } };

/** The reply as it streams: usage and text tapped, tool calls collected, the visible text kept for the store. */
class ReplySoFar {
  readonly tap = new OpenAIStreamTap();
  readonly calls = new ToolCallCollector();
  text = '';
}

/**
 * One reply: start it (refused by budgets or an unknown model), route it (nothing served: refused or cut),
 * relay it, close it. Every exchange of a stored chat is kept, whatever its ending: finished, stopped, or
 * failed with its error.
 */
async function* streamReply(
  deps: RoutingParts,
  request: ChatRequest,
  body: Record<string, unknown>,
  transport: AbortSignal,
  userStop?: AbortSignal,
): AsyncGenerator<ChatStreamEvent> {
  const abort = userStop ? AbortSignal.any([transport, userStop]) : transport;
  const x: Exchange = {
    record: request.ephemeral ? undefined : new ChatRecord(deps.ledger, request),
    transport,
    userStop,
    abort,
    warnings: [],
  };
  let routed: Routed;
  try {
    // The app's own requests are a client like any tool's: named `app` in spend and held to its budgets.
    const source = request.source === 'compare' ? 'compare' : 'chat';
    routed = startRouted(deps, {
      source,
      client: APP_CLIENT,
      model: request.model,
      body,
      stream: true,
      signal: abort,
      stickyOwner: 'chat',
      onSoft: (w) => x.warnings.push(...w),
    });
  } catch (error) {
    const message = (error as Error).message;
    x.record?.reply({ content: '', status: 'error', error: message });
    yield* announce(x);
    yield { type: 'error', message };
    return;
  }
  const { meter } = routed;
  let served: StreamServed;
  try {
    served = await dispatchStream(withFields(routed.failover, { body }));
  } catch (error) {
    yield* notServed(x, meter, error as RoutingError);
    return;
  }
  for (const message of x.warnings) yield { type: 'warning', message };
  const reply = new ReplySoFar();
  const ending = yield* relay(x, meter, served, reply);
  if (ending.kind !== 'gone') yield* close(x, meter, served, reply, ending);
}

/** The conversation's id, the first time there is one to tell the caller. */
function announce(x: Exchange): ChatStreamEvent[] {
  const conversationId = x.record?.announce();
  return conversationId ? [{ type: 'conversation', conversationId }] : [];
}

/** Nothing was served: the router refused, or the exchange was cut before an answer began. */
function* notServed(x: Exchange, meter: RequestMeter, e: RoutingError): Generator<ChatStreamEvent> {
  const cut = x.abort.aborted ? cutBy(x) : undefined;
  const row = meter.finish({
    status: cut ? 'cancelled' : 'error',
    httpStatus: e.status ?? 500,
    attempts: e.attempts ?? [],
    errorMessage: e.message,
  });
  // The question is kept even when no answer began: stopped, gone or refused (with the reason, for Retry).
  x.record?.reply(
    cut ? { content: '', status: 'stopped', requestId: meter.id } : { content: '', status: 'error', error: e.message, requestId: meter.id },
  );
  if (cut === 'gone') return;
  yield* announce(x);
  for (const message of x.warnings) yield { type: 'warning', message };
  if (cut === 'stopped')
    yield doneEvent(row, {
      attempts: e.attempts?.length ?? 0,
      ttftMs: null,
      requestId: meter.id,
      conversationId: x.record?.turns(),
      stopped: true,
    });
  else yield { type: 'error', message: e.message };
}

/**
 * Relays the upstream stream as it comes and says how it ended. A caller that goes away (its transport
 * aborts, or it stops iterating) leaves no one to tell: the row and the text so far are kept here.
 */
async function* relay(x: Exchange, meter: RequestMeter, served: StreamServed, reply: ReplySoFar): AsyncGenerator<ChatStreamEvent, Ending> {
  const { tap, calls } = reply;
  // Unset while the stream is read: a caller that stops iterating leaves it so.
  let ending: Ending | undefined;
  try {
    for (const source of [served.head, served.rest]) {
      for await (const event of source) {
        const chunk = tap.read(event);
        if (calls.read(event.data)) meter.firstToken();
        if (chunk.reasoning) {
          meter.firstToken();
          yield { type: 'reasoning', text: chunk.reasoning };
        }
        if (chunk.text) {
          meter.firstToken();
          // The conversation is stored (and named to the caller) with the first text, so a reply
          // stopped from here on continues this conversation.
          yield* announce(x);
          reply.text += chunk.text;
          yield { type: 'delta', text: chunk.text };
        }
      }
    }
    // An upstream stream can also end quietly when it is aborted.
    ending = x.abort.aborted ? ENDINGS[cutBy(x)] : FINISHED;
  } catch (error) {
    ending = x.abort.aborted ? ENDINGS[cutBy(x)] : { kind: 'failed', reason: (error as Error | null | undefined)?.message };
  } finally {
    if (ending === undefined || ending.kind === 'gone') {
      meter.finish({ status: 'cancelled', httpStatus: 499, ...outcome(served), usage: tap.finalUsage(), output: tap.text });
      x.record?.reply({ content: reply.text, status: 'stopped', requestId: meter.id, toolCalls: calls.list() });
    }
  }
  return ending;
}

/** A reply the caller still hears the end of: its tool calls, then its `done` (finished or stopped) or its error. */
function* close(x: Exchange, meter: RequestMeter, served: StreamServed, reply: ReplySoFar, ending: Ending): Generator<ChatStreamEvent> {
  const { tap } = reply;
  const toolCalls = reply.calls.list();
  for (const call of toolCalls) yield { type: 'tool_call', call };
  if (ending.kind === 'failed') {
    const message = `${served.target.provider.id} failed mid-stream: ${ending.reason ?? 'unknown error'}`;
    meter.finish({
      status: 'error',
      httpStatus: 502,
      ...outcome(served),
      usage: tap.finalUsage(),
      output: tap.text,
      errorMessage: ending.reason,
    });
    x.record?.reply({ content: reply.text, status: 'error', error: message, requestId: meter.id, toolCalls });
    yield* announce(x);
    yield { type: 'error', message };
    return;
  }
  const stopped = ending.kind === 'stopped';
  // Without reported usage the row's figures are rough until the tokenizer's count replaces them in the ledger.
  const row = meter.finish({
    status: stopped ? 'cancelled' : 'ok',
    httpStatus: stopped ? 499 : 200,
    ...outcome(served),
    usage: tap.finalUsage(),
    output: tap.text,
  });
  x.record?.reply({ content: reply.text, requestId: meter.id, toolCalls, ...(stopped ? { status: 'stopped' as const } : {}) });
  yield* announce(x);
  yield doneEvent(row, {
    provider: served.target.provider.id,
    model: served.target.model,
    attempts: served.attempts.length,
    ttftMs: meter.ttftMs,
    requestId: meter.id,
    conversationId: x.record?.turns(),
    stopped,
  });
}

/** Who answered and after which attempts, for the ledger row. */
const outcome = (served: StreamServed) => ({ target: served.target, attempts: served.attempts });

/** The closing event: who answered (else the last target tried), and what the request used. */
function doneEvent(
  row: RequestRecord | undefined,
  o: {
    provider?: string;
    model?: string;
    attempts: number;
    ttftMs: number | null;
    requestId: string;
    conversationId?: string;
    stopped?: boolean;
  },
): ChatStreamEvent {
  return {
    type: 'done',
    provider: o.provider ?? row?.provider ?? '',
    model: o.model ?? row?.model ?? '',
    usage: { inputTokens: row?.inputTokens ?? 0, outputTokens: row?.outputTokens ?? 0 },
    costUsd: row?.costUsd ?? null,
    ttftMs: o.ttftMs,
    attempts: o.attempts,
    requestId: o.requestId,
    ...(o.conversationId ? { conversationId: o.conversationId } : {}),
    ...(o.stopped ? { stopped: true } : {}),
  };
}
