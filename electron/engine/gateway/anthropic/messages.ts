// POST /v1/messages (Anthropic dialect, for Claude Code and the Anthropic SDK): validates, routes,
// passes through to Anthropic targets and translates for the rest; one ledger row per request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMeter } from '../../accounting';
import { anthropicOnlyFields } from '../../providers/anthropic/anthropic-request';
import { AnthropicStreamTap, type AnthropicClientHeaders } from '../../providers/anthropic/anthropic-open';
import type { Target } from '../../router/resolve';
import { dispatchAnthropicJson, dispatchAnthropicStream, type AnthropicDispatchInput } from '../../router/dispatch';
import type { GatewayContext } from '../context';
import { beginRouted, failRouted } from '../routed-request';
import { StreamWriter } from '../stream-writer';
import { anthropicStreamError, sendAnthropicError } from './errors';

export function validateMessages(body: unknown, needsMaxTokens: boolean): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'the request body must be a JSON object';
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || !b.model) return 'model: Field required';
  if (!Array.isArray(b.messages) || b.messages.length === 0) return 'messages: at least one message is required';
  for (const [i, m] of (b.messages as Array<Record<string, unknown>>).entries()) {
    // `system` inside the conversation: Claude Code sends it mid-conversation (an Anthropic beta).
    if (!m || (m.role !== 'user' && m.role !== 'assistant' && m.role !== 'system'))
      return `messages.${i}.role: Input should be 'user', 'assistant' or 'system'`;
    if (typeof m.content !== 'string' && !Array.isArray(m.content)) return `messages.${i}.content: Field required`;
  }
  if (needsMaxTokens && b.max_tokens === undefined) return 'max_tokens: Field required';
  if (b.max_tokens !== undefined && !(Number.isInteger(b.max_tokens) && (b.max_tokens as number) >= 1))
    return 'max_tokens: Input should be an integer greater than or equal to 1';
  if (b.stream !== undefined && typeof b.stream !== 'boolean') return 'stream: Input should be a valid boolean';
  return null;
}

export function clientHeaders(req: IncomingMessage): AnthropicClientHeaders {
  const version = req.headers['anthropic-version'];
  const beta = req.headers['anthropic-beta'];
  return { version: typeof version === 'string' ? version : undefined, beta: typeof beta === 'string' ? beta : undefined };
}

export async function handleMessages(
  ctx: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  client: string,
): Promise<void> {
  const invalid = validateMessages(body, true);
  if (invalid) return sendAnthropicError(res, 400, invalid);
  const b = body as Record<string, unknown>;
  const stream = b.stream === true;
  const routed = beginRouted(ctx, req, res, {
    model: b.model as string,
    body: b,
    client,
    stream,
    sendError: (e) => sendAnthropicError(res, e.status, e.message),
  });
  if (!routed) return;
  const input: AnthropicDispatchInput = { ...routed.failover, body: b, client: clientHeaders(req) };
  const meter = routed.meter;
  return b.stream === true ? relayStream(res, input, meter) : relayJson(res, input, meter);
}

/** A target that is not Anthropic had the Anthropic-only parts of the body dropped: the request log names them. */
function noteDropped(meter: RequestMeter, target: Target, body: Record<string, unknown>): void {
  if (target.provider.kind !== 'anthropic') meter.notes = anthropicOnlyFields(body);
}

function failed(res: ServerResponse, meter: RequestMeter, error: unknown, signal: AbortSignal): void {
  failRouted(res, meter, error, signal, (e) => sendAnthropicError(res, e.status, e.message));
}

async function relayJson(res: ServerResponse, input: AnthropicDispatchInput, meter: RequestMeter): Promise<void> {
  let served;
  try {
    served = await dispatchAnthropicJson(input);
  } catch (error) {
    return failed(res, meter, error, input.signal);
  }
  noteDropped(meter, served.target, input.body);
  meter.firstToken();
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(served.text) });
  res.end(served.text);
  meter.finish({ status: 'ok', httpStatus: 200, target: served.target, attempts: served.attempts, usage: served.usage ?? null });
}

async function relayStream(res: ServerResponse, input: AnthropicDispatchInput, meter: RequestMeter): Promise<void> {
  let served;
  try {
    served = await dispatchAnthropicStream(input);
  } catch (error) {
    return failed(res, meter, error, input.signal);
  }
  noteDropped(meter, served.target, input.body);
  const tap = new AnthropicStreamTap();
  const outcome = { target: served.target, attempts: served.attempts };
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  meter.firstToken();
  const out = new StreamWriter(res);
  const forward = (event: { event?: string; data: string }) => {
    tap.read(event);
    out.write(`event: ${event.event ?? 'message'}\ndata: ${event.data}\n\n`);
  };
  try {
    for (const event of served.head) forward(event);
    for await (const event of served.rest) {
      forward(event);
      const wait = out.ready();
      if (wait) await wait;
    }
    out.end();
    if (tap.error)
      meter.finish({
        status: 'error',
        httpStatus: 502,
        ...outcome,
        usage: tap.finalUsage(),
        output: tap.text,
        errorMessage: `upstream ${served.target.provider.id} failed mid-stream: ${tap.error}`,
      });
    else meter.finish({ status: 'ok', httpStatus: 200, ...outcome, usage: tap.finalUsage(), output: tap.text });
  } catch (error) {
    if (input.signal.aborted || res.destroyed) {
      meter.finish({ status: 'cancelled', httpStatus: 499, ...outcome, usage: tap.finalUsage(), output: tap.text });
      return;
    }
    // After the first token a failure must reach the client as an error event, never as a clean end.
    const message = `upstream ${served.target.provider.id} failed mid-stream: ${(error as Error).message}`;
    out.end(anthropicStreamError(message));
    meter.finish({ status: 'error', httpStatus: 502, ...outcome, usage: tap.finalUsage(), output: tap.text, errorMessage: message });
  }
}
