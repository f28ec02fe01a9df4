// POST /api/chat and GET /api/tags (Ollama dialect, for tools that speak only Ollama): every
// request is translated through the canonical types and streamed back as NDJSON (Ollama's default);
// the relay is shared with /api/generate, which differs only in its request and answer shapes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeOllamaRequest, OllamaLineEncoder, ollamaResponseBody, type OllamaShape } from '../../providers/ollama/ollama-dialect';
import { TextTally } from '../../canonical/text-tally';
import type { CanonicalRequest, StreamEvent } from '../../canonical/types';
import { dispatchCanonicalResponse, dispatchCanonicalStream, type CanonicalDispatchInput } from '../../router/dispatch';
import type { ModelChoice } from '../../../../shared/types';
import type { ClientAccess } from '../client-access';
import type { GatewayContext } from '../context';
import { modelsFor } from '../visible-models';
import { endFailedStream, pumpStream, sendJsonText } from '../relay';
import { beginRouted, type BodyHandler, failRouted } from '../routed-request';
import { StreamWriter } from '../stream-writer';
import { OLLAMA_JSON, sendOllamaError, sendOllamaRoutingError } from './errors';
import { withFields } from '../../with-fields';

function validate(body: unknown): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'the request body must be a JSON object';
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || !b.model) return 'model is required';
  if (!Array.isArray(b.messages)) return 'messages must be an array';
  if (b.messages.length === 0) return 'messages must not be empty';
  for (const [i, m] of (b.messages as unknown[]).entries()) {
    if (!m || typeof m !== 'object' || Array.isArray(m)) return `messages[${i}] must be an object with a role`;
    const msg = m as Record<string, unknown>;
    if (typeof msg.role !== 'string') return `messages[${i}].role must be a string`;
    if (msg.content !== undefined && typeof msg.content !== 'string') return `messages[${i}].content must be a string`;
    if (msg.images !== undefined && msg.images !== null && !(Array.isArray(msg.images) && msg.images.every((x) => typeof x === 'string')))
      return `messages[${i}].images must be an array of base64 strings`;
    if (msg.tool_calls !== undefined && msg.tool_calls !== null && !Array.isArray(msg.tool_calls))
      return `messages[${i}].tool_calls must be an array`;
  }
  if (b.tools !== undefined && b.tools !== null && !Array.isArray(b.tools)) return 'tools must be an array';
  return null;
}

export const handleOllamaChat: BodyHandler = async (ctx, req, res, body, client) => {
  const invalid = validate(body);
  if (invalid) return sendOllamaError(res, 400, invalid);
  return relayOllama(ctx, req, res, client, decodeOllamaRequest(body as Record<string, unknown>), body as Record<string, unknown>, 'chat');
};

/**
 * Routes a decoded Ollama request and answers it in the endpoint's shape: one JSON object, or NDJSON
 * lines through the shared StreamWriter (so a slow reader holds the relay, not an unbounded buffer).
 * `routingBody` is what budgets and sticky routing read.
 */
export async function relayOllama(
  ctx: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  client: string,
  request: CanonicalRequest,
  routingBody: Record<string, unknown>,
  shape: OllamaShape,
): Promise<void> {
  const routed = beginRouted(ctx, req, res, {
    model: request.model,
    body: routingBody,
    client,
    stream: request.stream,
    sendError: sendOllamaRoutingError,
  });
  if (!routed) return;
  const { meter, controller } = routed;
  const input: CanonicalDispatchInput = withFields(routed.failover, { request });

  if (!request.stream) {
    const started = performance.now();
    let served;
    try {
      served = await dispatchCanonicalResponse(input);
    } catch (error) {
      return failRouted(res, meter, error, controller.signal, sendOllamaRoutingError);
    }
    meter.firstToken();
    const text = JSON.stringify(ollamaResponseBody(served.response, request.model, started, shape));
    // The row is on disk before the answer goes (RequestMeter.finish).
    meter.finish({ status: 'ok', httpStatus: 200, target: served.target, attempts: served.attempts, usage: served.response.usage }, () =>
      sendJsonText(res, text, OLLAMA_JSON),
    );
    return;
  }

  let served;
  try {
    served = await dispatchCanonicalStream(input);
  } catch (error) {
    return failRouted(res, meter, error, controller.signal, sendOllamaRoutingError);
  }
  const outcome = { target: served.target, attempts: served.attempts };
  // Ollama clients see the model name they asked for, as Ollama itself answers.
  const enc = new OllamaLineEncoder(request.model, shape);
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  meter.firstToken();
  const out = new StreamWriter(res);
  const write = (lines: string[]) => {
    for (const line of lines) out.write(`${line}\n`);
  };
  // The streamed text, counted by the ledger when no usage came.
  const output = new TextTally();
  const relay = (e: StreamEvent) => {
    output.addEvent(e);
    write(enc.encode(e));
  };
  try {
    await pumpStream(served, out, relay);
    write(enc.end());
    meter.finish({ status: 'ok', httpStatus: 200, ...outcome, usage: enc.usage, output }, () => out.end());
  } catch (error) {
    endFailedStream(res, meter, controller.signal, out, outcome, enc.usage, output, error, ollamaStreamError);
  }
}

/** Ollama reports a failure inside a stream as a line with `error` (its JS client throws on it). */
const ollamaStreamError = (message: string): string => `${JSON.stringify({ error: message })}\n`;

/** A model's `details` in Ollama's model lists (/api/tags, /api/ps): a route, or a provider's model. */
export const ollamaModelDetails = (c: ModelChoice) => ({
  parent_model: '',
  format: 'remote',
  family: c.kind === 'route' ? 'switchboard' : c.id.split('/')[0],
  families: null,
  parameter_size: '',
  quantization_level: '',
});

/** GET /api/tags: routes and provider/model ids, in Ollama's model-list shape. */
export async function handleOllamaTags(ctx: GatewayContext, res: ServerResponse, access: ClientAccess): Promise<void> {
  const choices = await modelsFor(ctx, access);
  const models = choices.map((c) => ({
    name: c.id,
    model: c.id,
    modified_at: new Date(0).toISOString(),
    size: 0,
    digest: '',
    details: ollamaModelDetails(c),
  }));
  sendJsonText(res, JSON.stringify({ models }), OLLAMA_JSON);
}
