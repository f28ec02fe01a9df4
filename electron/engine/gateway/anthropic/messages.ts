// POST /v1/messages (Anthropic dialect, for Claude Code and the Anthropic SDK): validates, routes,
// passes through to Anthropic targets and translates for the rest; one ledger row per request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMeter } from '../../accounting';
import { anthropicOnlyFields } from '../../providers/anthropic/anthropic-request';
import { AnthropicStreamTap, type AnthropicClientHeaders } from '../../providers/anthropic/anthropic-open';
import type { Target } from '../../router/resolve';
import { dispatchAnthropicJson, dispatchAnthropicStream, type AnthropicDispatchInput } from '../../router/dispatch';
import { endFailedStream, EVENT_STREAM_HEADERS, pumpStream, sendJsonText } from '../relay';
import { beginRouted, type BodyHandler, failRouted } from '../routed-request';
import { StreamWriter } from '../stream-writer';
import { anthropicStreamError, sendAnthropicError, sendAnthropicRoutingError } from './errors';
import { withFields } from '../../with-fields';

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

export const handleMessages: BodyHandler = async (ctx, req, res, body, client) => {
  const invalid = validateMessages(body, true);
  if (invalid) return sendAnthropicError(res, 400, invalid);
  const b = body as Record<string, unknown>;
  const stream = b.stream === true;
  const routed = beginRouted(ctx, req, res, {
    model: b.model as string,
    body: b,
    client,
    stream,
    sendError: sendAnthropicRoutingError,
  });
  if (!routed) return;
  const input: AnthropicDispatchInput = withFields(routed.failover, { body: b, client: clientHeaders(req) });
  const meter = routed.meter;
  return b.stream === true ? relayStream(res, input, meter) : relayJson(res, input, meter);
};

/** A target that is not Anthropic had the Anthropic-only parts of the body dropped: the request log names them. */
function noteDropped(meter: RequestMeter, target: Target, body: Record<string, unknown>): void {
  if (target.provider.kind !== 'anthropic') meter.notes = anthropicOnlyFields(body);
}

async function relayJson(res: ServerResponse, input: AnthropicDispatchInput, meter: RequestMeter): Promise<void> {
  let served;
  try {
    served = await dispatchAnthropicJson(input);
  } catch (error) {
    return failRouted(res, meter, error, input.signal, sendAnthropicRoutingError);
  }
  noteDropped(meter, served.target, input.body);
  meter.firstToken();
  // The row is on disk before the answer goes (RequestMeter.finish).
  meter.finish({ status: 'ok', httpStatus: 200, target: served.target, attempts: served.attempts, usage: served.usage ?? null }, () =>
    sendJsonText(res, served.text),
  );
}

async function relayStream(res: ServerResponse, input: AnthropicDispatchInput, meter: RequestMeter): Promise<void> {
  let served;
  try {
    served = await dispatchAnthropicStream(input);
  } catch (error) {
    return failRouted(res, meter, error, input.signal, sendAnthropicRoutingError);
  }
  noteDropped(meter, served.target, input.body);
  const tap = new AnthropicStreamTap();
  const outcome = { target: served.target, attempts: served.attempts };
  res.writeHead(200, EVENT_STREAM_HEADERS);
  meter.firstToken();
  const out = new StreamWriter(res);
  const forward = (event: { event?: string; data: string }) => {
    tap.read(event);
    out.write(`event: ${event.event ?? 'message'}\ndata: ${event.data}\n\n`);
  };
  try {
    await pumpStream(served, out, forward);
    const end = () => out.end();
    if (tap.error)
      meter.finish(
        {
          status: 'error',
          httpStatus: 502,
          ...outcome,
          usage: tap.finalUsage(),
          output: tap.text,
          errorMessage: `upstream ${served.target.provider.id} failed mid-stream: ${tap.error}`,
        },
        end,
      );
    else meter.finish({ status: 'ok', httpStatus: 200, ...outcome, usage: tap.finalUsage(), output: tap.text }, end);
  } catch (error) {
    endFailedStream(res, meter, input.signal, out, outcome, tap.finalUsage(), tap.text, error, anthropicStreamError);
  }
}
