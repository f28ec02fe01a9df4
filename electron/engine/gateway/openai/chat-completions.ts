// POST /v1/chat/completions: validates the body, routes it, and relays the upstream answer (the
// fast path: OpenAI-shaped bytes pass through; usage is tapped on the way).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMeter } from '../../accounting';
import { fromOpenAIUsage, type Usage } from '../../canonical/usage';
import { TextTally } from '../../canonical/text-tally';
import { OpenAIStreamTap } from '../../providers/openai/openai-chunks';
import { dispatchJson, dispatchStream } from '../../router/dispatch';
import { takeRoutingExtensions } from '../../router/extensions';
import { RoutingError } from '../../router/failures';
import type { GatewayContext } from '../context';
import { asRoutingError, beginRouted, failRouted } from '../routed-request';
import { openAIStreamError, sendOpenAIError } from './errors';
import { StreamWriter } from '../stream-writer';

function validate(body: unknown): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'the request body must be a JSON object';
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || !b.model) return '`model` must be a non-empty string';
  if (!Array.isArray(b.messages) || b.messages.length === 0) return '`messages` must be a non-empty array';
  for (const [i, m] of (b.messages as unknown[]).entries()) {
    if (!m || typeof m !== 'object' || Array.isArray(m)) return `\`messages.${i}\` must be an object with a \`role\``;
    const { role, content } = m as Record<string, unknown>;
    if (typeof role !== 'string' || !CHAT_ROLES.has(role)) return `\`messages.${i}.role\` must be one of ${[...CHAT_ROLES].join(', ')}`;
    if (content !== undefined && content !== null && typeof content !== 'string' && !Array.isArray(content))
      return `\`messages.${i}.content\` must be a string or an array of parts`;
  }
  if (b.stream !== undefined && typeof b.stream !== 'boolean') return '`stream` must be a boolean';
  return null;
}

const CHAT_ROLES: ReadonlySet<string> = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

export async function handleChatCompletions(
  ctx: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  client: string,
): Promise<void> {
  const invalid = validate(body);
  if (invalid) return sendOpenAIError(res, 400, invalid);
  const sendError = (e: RoutingError) => sendOpenAIError(res, e.status, e.message, e.type, e.code);
  let routing;
  try {
    // OpenRouter-style `models` / `provider` fields steer routing and are not sent upstream.
    routing = takeRoutingExtensions(body as Record<string, unknown>);
  } catch (error) {
    return sendError(asRoutingError(error));
  }
  const b = routing.body;
  const stream = b.stream === true;
  const routed = beginRouted(ctx, req, res, { model: b.model as string, body: b, client, stream, ext: routing.ext, sendError });
  if (!routed) return;
  const input = { ...routed.failover, body: b };
  if (stream)
    return relayStream(res, input, routed.meter, (b.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true);
  return relayJson(res, input, routed.meter);
}

type Input = Parameters<typeof dispatchJson>[0];
type JsonDispatch = typeof dispatchJson;
type StreamDispatch = typeof dispatchStream;

function failed(res: ServerResponse, meter: RequestMeter, error: unknown, signal: AbortSignal): void {
  failRouted(res, meter, error, signal, (e) => sendOpenAIError(res, e.status, e.message, e.type, e.code));
}

/** Relays an OpenAI-shaped JSON answer (chat, or legacy completions through their own dispatch). */
export async function relayJson(
  res: ServerResponse,
  input: Input,
  meter: RequestMeter,
  dispatch: JsonDispatch = dispatchJson,
): Promise<void> {
  let served;
  try {
    served = await dispatch(input);
  } catch (error) {
    return failed(res, meter, error, input.signal);
  }
  meter.firstToken();
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(served.text) });
  res.end(served.text);
  const usage = served.usage ?? fromOpenAIUsage(served.json.usage);
  meter.finish({
    status: 'ok',
    httpStatus: 200,
    target: served.target,
    attempts: served.attempts,
    usage,
    output: usage ? null : answerText(served.json),
  });
}

/** A JSON answer's text (chat or legacy completions), counted by the ledger when the upstream reported no usage. */
function answerText(json: { choices?: unknown }): TextTally {
  const tally = new TextTally();
  for (const c of Array.isArray(json.choices)
    ? (json.choices as Array<{ text?: unknown; message?: { content?: unknown; tool_calls?: unknown } }>)
    : []) {
    if (typeof c?.text === 'string') tally.add(c.text);
    if (typeof c?.message?.content === 'string') tally.add(c.message.content);
    if (Array.isArray(c?.message?.tool_calls)) tally.add(JSON.stringify(c.message.tool_calls));
  }
  return tally;
}

/** Relays an OpenAI-shaped SSE stream (chat, or legacy completions through their own dispatch). */
export async function relayStream(
  res: ServerResponse,
  input: Input,
  meter: RequestMeter,
  clientWantsUsage: boolean,
  dispatch: StreamDispatch = dispatchStream,
): Promise<void> {
  let served;
  try {
    served = await dispatch(input);
  } catch (error) {
    return failed(res, meter, error, input.signal);
  }
  const tap = new OpenAIStreamTap();
  const outcome = { target: served.target, attempts: served.attempts };
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  meter.firstToken();
  const out = new StreamWriter(res);
  // A translated stream's usage event also carries the exact canonical usage: the ledger prices that.
  const forward = (event: { data: string; usage?: Usage }) => {
    if (tap.skim(event.data, event.usage) || clientWantsUsage) out.write(`data: ${event.data}\n\n`);
  };
  try {
    for (const event of served.head) forward(event);
    for await (const event of served.rest) {
      forward(event);
      const wait = out.ready();
      if (wait) await wait;
    }
    out.end();
    meter.finish({ status: 'ok', httpStatus: 200, ...outcome, usage: tap.finalUsage(), output: tap.text });
  } catch (error) {
    // Tokens so far: as reported, else counted by the ledger (the prompt from the body, the text streamed).
    const usage = tap.finalUsage();
    const output = tap.text;
    if (input.signal.aborted || res.destroyed) {
      meter.finish({ status: 'cancelled', httpStatus: 499, ...outcome, usage, output });
      return;
    }
    // After the first token a failure must reach the client as an error, never as a clean end.
    const message = `upstream ${served.target.provider.id} failed mid-stream: ${(error as Error).message}`;
    out.end(openAIStreamError(message));
    meter.finish({ status: 'error', httpStatus: 502, ...outcome, usage, output, errorMessage: message });
  }
}
