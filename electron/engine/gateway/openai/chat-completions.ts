// POST /v1/chat/completions: validates the body, routes it, and relays the upstream answer (the
// fast path: OpenAI-shaped bytes pass through; usage is tapped on the way).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMeter } from '../../accounting';
import { fromOpenAIUsage } from '../../canonical/usage';
import { OpenAIStreamTap } from '../../providers/openai-chunks';
import { dispatchJson, dispatchStream } from '../../router/dispatch';
import { takeRoutingExtensions } from '../../router/extensions';
import { RoutingError } from '../../router/failures';
import { usageSoFar } from '../../router/strategy';
import type { GatewayContext } from '../context';
import { asRoutingError, beginRouted, failRouted } from '../routed-request';
import { openAIStreamError, sendOpenAIError } from './errors';
import { StreamWriter } from '../stream-writer';

function validate(body: unknown): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'the request body must be a JSON object';
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || !b.model) return '`model` must be a non-empty string';
  if (!Array.isArray(b.messages) || b.messages.length === 0) return '`messages` must be a non-empty array';
  if (b.stream !== undefined && typeof b.stream !== 'boolean') return '`stream` must be a boolean';
  return null;
}

export async function handleChatCompletions(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, body: unknown, client: string): Promise<void> {
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
  if (stream) return relayStream(res, input, routed.meter, (b.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true);
  return relayJson(res, input, routed.meter);
}

type Input = Parameters<typeof dispatchJson>[0];
type JsonDispatch = typeof dispatchJson;
type StreamDispatch = typeof dispatchStream;

function failed(res: ServerResponse, meter: RequestMeter, error: unknown, signal: AbortSignal): void {
  failRouted(res, meter, error, signal, (e) => sendOpenAIError(res, e.status, e.message, e.type, e.code));
}

/** Relays an OpenAI-shaped JSON answer (chat, or legacy completions through their own dispatch). */
export async function relayJson(res: ServerResponse, input: Input, meter: RequestMeter, dispatch: JsonDispatch = dispatchJson): Promise<void> {
  let served;
  try {
    served = await dispatch(input);
  } catch (error) {
    return failed(res, meter, error, input.signal);
  }
  meter.firstToken();
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(served.text) });
  res.end(served.text);
  meter.finish({ status: 'ok', httpStatus: 200, target: served.target, attempts: served.attempts, usage: served.usage ?? fromOpenAIUsage(served.json.usage) });
}

/** Relays an OpenAI-shaped SSE stream (chat, or legacy completions through their own dispatch). */
export async function relayStream(res: ServerResponse, input: Input, meter: RequestMeter, clientWantsUsage: boolean, dispatch: StreamDispatch = dispatchStream): Promise<void> {
  let served;
  try {
    served = await dispatch(input);
  } catch (error) {
    return failed(res, meter, error, input.signal);
  }
  const tap = new OpenAIStreamTap();
  const outcome = { target: served.target, attempts: served.attempts };
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  meter.firstToken();
  const out = new StreamWriter(res);
  const forward = (data: string) => {
    if (tap.skim(data) || clientWantsUsage) out.write(`data: ${data}\n\n`);
  };
  try {
    for (const event of served.head) forward(event.data);
    for await (const event of served.rest) {
      forward(event.data);
      const wait = out.ready();
      if (wait) await wait;
    }
    out.end();
    meter.finish({ status: 'ok', httpStatus: 200, ...outcome, usage: tap.finalUsage() });
  } catch (error) {
    // Tokens so far: as reported, else estimated (the prompt from the body, a token per chunk seen).
    const usage = usageSoFar(tap.usage, input.body, tap.chunksWithText);
    if (input.signal.aborted || res.destroyed) {
      meter.finish({ status: 'cancelled', httpStatus: 499, ...outcome, usage });
      return;
    }
    // After the first token a failure must reach the client as an error, never as a clean end.
    const message = `upstream ${served.target.provider.id} failed mid-stream: ${(error as Error).message}`;
    out.end(openAIStreamError(message));
    meter.finish({ status: 'error', httpStatus: 502, ...outcome, usage, errorMessage: message });
  }
}
