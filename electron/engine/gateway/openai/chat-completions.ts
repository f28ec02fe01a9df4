// POST /v1/chat/completions: validates the body, routes it, and relays the upstream answer (the
// fast path: OpenAI-shaped bytes pass through; usage is tapped on the way).
import type { ServerResponse } from 'node:http';
import { RequestMeter } from '../../accounting';
import { fromOpenAIUsage, type Usage } from '../../canonical/usage';
import { TextTally } from '../../canonical/text-tally';
import { OpenAIStreamTap } from '../../providers/openai/openai-chunks';
import { dispatchJson, dispatchStream } from '../../router/dispatch';
import { takeRoutingExtensions } from '../../router/extensions';
import { endFailedStream, EVENT_STREAM_HEADERS, pumpStream, sendJsonText } from '../relay';
import { asRoutingError, beginRouted, type BodyHandler, failRouted } from '../routed-request';
import { openAIStreamError, sendOpenAIError, sendOpenAIRoutingError } from './errors';
import { StreamWriter } from '../stream-writer';
import { withFields } from '../../with-fields';

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

export const handleChatCompletions: BodyHandler = async (ctx, req, res, body, client) => {
  const invalid = validate(body);
  if (invalid) return sendOpenAIError(res, 400, invalid);
  let routing;
  try {
    // OpenRouter-style `models` / `provider` fields steer routing and are not sent upstream.
    routing = takeRoutingExtensions(body as Record<string, unknown>);
  } catch (error) {
    return sendOpenAIRoutingError(res, asRoutingError(error));
  }
  const b = routing.body;
  const stream = b.stream === true;
  const routed = beginRouted(ctx, req, res, {
    model: b.model as string,
    body: b,
    client,
    stream,
    ext: routing.ext,
    sendError: sendOpenAIRoutingError,
  });
  if (!routed) return;
  const input = withFields(routed.failover, { body: b });
  if (stream) return relayStream(res, input, routed.meter, wantsStreamUsage(b));
  return relayJson(res, input, routed.meter);
};

/** `stream_options.include_usage`: the client asked for the usage chunk (stripped otherwise). */
export const wantsStreamUsage = (body: Record<string, unknown>): boolean =>
  (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;

type Input = Parameters<typeof dispatchJson>[0];
type JsonDispatch = typeof dispatchJson;
type StreamDispatch = typeof dispatchStream;

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
    return failRouted(res, meter, error, input.signal, sendOpenAIRoutingError);
  }
  meter.firstToken();
  const usage = served.usage ?? fromOpenAIUsage(served.json.usage);
  // The row is on disk before the answer goes (RequestMeter.finish): a client that saw it finds the row.
  meter.finish(
    {
      status: 'ok',
      httpStatus: 200,
      target: served.target,
      attempts: served.attempts,
      usage,
      output: usage ? null : answerText(served.json),
    },
    () => sendJsonText(res, served.text),
  );
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
    return failRouted(res, meter, error, input.signal, sendOpenAIRoutingError);
  }
  const tap = new OpenAIStreamTap();
  const outcome = { target: served.target, attempts: served.attempts };
  res.writeHead(200, EVENT_STREAM_HEADERS);
  meter.firstToken();
  const out = new StreamWriter(res);
  // A translated stream's usage event also carries the exact canonical usage: the ledger prices that.
  const forward = (event: { data: string; usage?: Usage }) => {
    if (tap.skim(event.data, event.usage) || clientWantsUsage) out.write(`data: ${event.data}\n\n`);
  };
  try {
    await pumpStream(served, out, forward);
    meter.finish({ status: 'ok', httpStatus: 200, ...outcome, usage: tap.finalUsage(), output: tap.text }, () => out.end());
  } catch (error) {
    endFailedStream(res, meter, input.signal, out, outcome, tap.finalUsage(), tap.text, error, openAIStreamError);
  }
}
