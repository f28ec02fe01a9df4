// POST /api/chat and GET /api/tags (Ollama dialect, for tools that speak only Ollama): every
// request is translated through the canonical types and streamed back as NDJSON (Ollama's default).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeOllamaRequest, OllamaLineEncoder, ollamaResponseBody } from '../../canonical/ollama-dialect';
import { dispatchCanonicalResponse, dispatchCanonicalStream, type CanonicalDispatchInput } from '../../router/dispatch';
import type { ClientAccess } from '../client-access';
import type { GatewayContext } from '../context';
import { modelsFor } from '../visible-models';
import { beginRouted, failRouted } from '../routed-request';
import { sendOllamaError } from './errors';

function validate(body: unknown): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'the request body must be a JSON object';
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || !b.model) return 'model is required';
  if (!Array.isArray(b.messages)) return 'messages must be an array';
  if (b.messages.length === 0) return 'messages must not be empty';
  return null;
}

export async function handleOllamaChat(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, body: unknown, client: string): Promise<void> {
  const invalid = validate(body);
  if (invalid) return sendOllamaError(res, 400, invalid);
  const request = decodeOllamaRequest(body as Record<string, unknown>);
  const b = body as Record<string, unknown>;
  const routed = beginRouted(ctx, req, res, { model: request.model, body: b, client, stream: request.stream, sendError: (e) => sendOllamaError(res, e.status, e.message) });
  if (!routed) return;
  const { meter, controller } = routed;
  const input: CanonicalDispatchInput = { ...routed.failover, request };
  const failed = (error: unknown) => failRouted(res, meter, error, controller.signal, (e) => sendOllamaError(res, e.status, e.message));

  if (!request.stream) {
    const started = performance.now();
    let served;
    try {
      served = await dispatchCanonicalResponse(input);
    } catch (error) {
      return failed(error);
    }
    meter.firstToken();
    const text = JSON.stringify(ollamaResponseBody(served.response, request.model, started));
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    meter.finish({ status: 'ok', httpStatus: 200, target: served.target, attempts: served.attempts, usage: served.response.usage });
    return;
  }

  let served;
  try {
    served = await dispatchCanonicalStream(input);
  } catch (error) {
    return failed(error);
  }
  const outcome = { target: served.target, attempts: served.attempts };
  // Ollama clients see the model name they asked for, as Ollama itself answers.
  const enc = new OllamaLineEncoder(request.model);
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  meter.firstToken();
  const write = (lines: string[]) => {
    for (const line of lines) res.write(`${line}\n`);
  };
  try {
    for (const e of served.head) write(enc.encode(e));
    for await (const e of served.rest) write(enc.encode(e));
    write(enc.end());
    res.end();
    meter.finish({ status: 'ok', httpStatus: 200, ...outcome, usage: enc.usage });
  } catch (error) {
    if (controller.signal.aborted) return void meter.finish({ status: 'cancelled', httpStatus: 499, ...outcome, usage: enc.usage });
    // Ollama reports a failure inside a stream as a line with `error` (its JS client throws on it).
    const message = `upstream ${served.target.provider.id} failed mid-stream: ${(error as Error).message}`;
    res.end(`${JSON.stringify({ error: message })}\n`);
    meter.finish({ status: 'error', httpStatus: 502, ...outcome, usage: enc.usage, errorMessage: message });
  }
}

/** GET /api/tags: routes and provider/model ids, in Ollama's model-list shape. */
export async function handleOllamaTags(ctx: GatewayContext, res: ServerResponse, access: ClientAccess): Promise<void> {
  const choices = await modelsFor(ctx, access);
  const models = choices.map((c) => ({
    name: c.id,
    model: c.id,
    modified_at: new Date(0).toISOString(),
    size: 0,
    digest: '',
    details: { parent_model: '', format: 'remote', family: c.kind === 'route' ? 'switchboard' : c.id.split('/')[0], families: null, parameter_size: '', quantization_level: '' },
  }));
  const text = JSON.stringify({ models });
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
