// POST /v1beta/models/{model}:generateContent and :streamGenerateContent (Gemini dialect, for Gemini CLI
// and Google's SDKs): decoded into the canonical request, routed and failed over like every dialect, and
// answered as a GenerateContentResponse, as SSE (`alt=sse`), or as the streamed JSON array Google sends without it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeGeminiRequest, GeminiRequestError } from '../../providers/gemini/gemini-request';
import { GeminiChunkEncoder, geminiResponseBody, type GeminiEncodeOptions } from '../../providers/gemini/gemini-stream';
import { TextTally } from '../../canonical/text-tally';
import type { CanonicalRequest, Part, StreamEvent } from '../../canonical/types';
import { dispatchCanonicalResponse, dispatchCanonicalStream, type CanonicalDispatchInput } from '../../router/dispatch';
import type { GatewayContext } from '../context';
import { endFailedStream, EVENT_STREAM_HEADERS, pumpStream, sendJsonText } from '../relay';
import { beginRouted, failRouted } from '../routed-request';
import type { ApiCall } from '../routes';
import { StreamWriter } from '../stream-writer';
import { GEMINI_JSON, geminiStreamError, sendGeminiError, sendGeminiRoutingError } from './errors';
import { withFields } from '../../with-fields';

type Json = Record<string, any>;

/** The request's query string (`alt`); the path's own query never reaches a log. */
export function queryOf(req: IncomingMessage): URLSearchParams {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  return new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
}

function partText(p: Part): string {
  if (p.type === 'text' || p.type === 'reasoning') return p.text;
  if (p.type === 'tool_result') return p.content;
  if (p.type === 'tool_call') return `${p.name} ${p.arguments}`;
  return '';
}

/**
 * The request in the OpenAI-like shape budgets and sticky routing read (messages with text content,
 * max_tokens): they estimate and key on it, and never send it anywhere.
 */
export function routingBody(req: CanonicalRequest): Json {
  const body: Json = {
    model: req.model,
    messages: req.messages.map((m) => ({ role: m.role, content: m.parts.map(partText).join('\n') })),
    stream: req.stream,
  };
  if (req.system) body.system = req.system;
  if (req.tools?.length) body.tools = req.tools;
  if (req.maxTokens !== undefined) body.max_tokens = req.maxTokens;
  return body;
}

/** Decodes the body for the path's model, or answers 400 and returns undefined. */
export function decodeOrRefuse(res: ServerResponse, body: unknown, model: string, stream: boolean): CanonicalRequest | undefined {
  try {
    return decodeGeminiRequest(body as Json, model, stream);
  } catch (error) {
    if (!(error instanceof GeminiRequestError)) throw error;
    sendGeminiError(res, 400, error.message);
    return undefined;
  }
}

const encodeOptions = (body: Json, model: string): GeminiEncodeOptions => ({
  model,
  includeThoughts: body.generationConfig?.thinkingConfig?.includeThoughts === true,
});

/** The handler of :generateContent (`stream` false) or :streamGenerateContent; the model is the path's. */
const generateHandler =
  (stream: boolean) =>
  (ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, body: unknown, client: string, call: ApiCall): Promise<void> =>
    generate(ctx, req, res, body, client, call.param ?? '', stream);

export const handleGenerateContent = generateHandler(false);
export const handleStreamGenerateContent = generateHandler(true);

async function generate(
  ctx: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  client: string,
  model: string,
  stream: boolean,
): Promise<void> {
  const request = decodeOrRefuse(res, body, model, stream);
  if (!request) return;
  const routed = beginRouted(ctx, req, res, { model, body: routingBody(request), client, stream, sendError: sendGeminiRoutingError });
  if (!routed) return;
  const { meter, controller } = routed;
  const input: CanonicalDispatchInput = withFields(routed.failover, { request });
  const opts = encodeOptions(body as Json, model);

  if (!stream) {
    let served;
    try {
      served = await dispatchCanonicalResponse(input);
    } catch (error) {
      return failRouted(res, meter, error, controller.signal, sendGeminiRoutingError);
    }
    meter.firstToken();
    const text = JSON.stringify(geminiResponseBody(served.response, opts));
    // The row is on disk before the answer goes (RequestMeter.finish).
    meter.finish({ status: 'ok', httpStatus: 200, target: served.target, attempts: served.attempts, usage: served.response.usage }, () =>
      sendJsonText(res, text, GEMINI_JSON),
    );
    return;
  }

  let served;
  try {
    served = await dispatchCanonicalStream(input);
  } catch (error) {
    return failRouted(res, meter, error, controller.signal, sendGeminiRoutingError);
  }
  const outcome = { target: served.target, attempts: served.attempts };
  const sse = queryOf(req).get('alt') === 'sse';
  const enc = new GeminiChunkEncoder(opts);
  res.writeHead(200, sse ? EVENT_STREAM_HEADERS : { 'content-type': GEMINI_JSON });
  meter.firstToken();
  const out = new StreamWriter(res);
  // Without alt=sse Google streams one JSON array, its elements written as they come.
  let first = true;
  const frame = (json: string): string => {
    if (sse) return `data: ${json}\r\n\r\n`;
    const text = `${first ? '[' : ',\r\n'}${json}`;
    first = false;
    return text;
  };
  const close = sse ? '' : ']';
  // The streamed text, counted by the ledger when no usage came.
  const output = new TextTally();
  const write = (chunks: Json[]) => {
    for (const chunk of chunks) out.write(frame(JSON.stringify(chunk)));
  };
  const relay = (e: StreamEvent) => {
    output.addEvent(e);
    write(enc.encode(e));
  };
  try {
    await pumpStream(served, out, relay);
    write([enc.end()]);
    meter.finish({ status: 'ok', httpStatus: 200, ...outcome, usage: enc.usage, output }, () => out.end(close));
  } catch (error) {
    endFailedStream(
      res,
      meter,
      controller.signal,
      out,
      outcome,
      enc.usage,
      output,
      error,
      (message) => `${frame(geminiStreamError(message))}${close}`,
    );
  }
}
