// POST /v1/responses: the Responses API on top of the chat dispatch (translated both ways), so it works
// with every provider the router can reach, streaming or not, with function and namespace tools; hosted
// tools are dropped and named (x-switchboard-dropped-tools, the request log), never refused.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { UpstreamStreamError } from '../../canonical/errors';
import { tallyOpenAIDelta, TextTally } from '../../canonical/text-tally';
import { fromOpenAIUsage } from '../../canonical/usage';
import { dispatchJson, dispatchStream } from '../../router/dispatch';
import { RoutingError } from '../../router/failures';
import type { GatewayContext } from '../context';
import { beginRouted, failRouted, headerDroppedTools } from '../routed-request';
import { sendOpenAIError } from './errors';
import { ResponsesStreamWriter } from './responses-stream';
import { StreamWriter } from '../stream-writer';
import { responsesNotes, toolPlan } from './responses-tools';
import { chatToResponse, openAIOnlyFields, responsesToChat, TranslationError } from './responses-translate';

type Json = Record<string, any>;

export async function handleResponses(
  ctx: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  client: string,
): Promise<void> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return sendOpenAIError(res, 400, 'the request body must be a JSON object');
  const request = body as Json;
  let chat: Json;
  try {
    chat = responsesToChat(request);
  } catch (error) {
    if (error instanceof TranslationError) return sendOpenAIError(res, 400, error.message);
    throw error;
  }
  const sendError = (e: RoutingError) => sendOpenAIError(res, e.status, e.message, e.type, e.code);
  const routed = beginRouted(ctx, req, res, { model: chat.model, body: chat, client, stream: chat.stream === true, sendError });
  if (!routed) return;
  const { meter, controller } = routed;
  headerDroppedTools(res, toolPlan(request).dropped);
  meter.notes = responsesNotes(request, toolPlan(request));
  const input = { ...routed.failover, body: chat, openAIOnly: openAIOnlyFields(request) };
  const failed = (error: unknown) => failRouted(res, meter, error, controller.signal, sendError);

  if (chat.stream !== true) {
    let served;
    try {
      served = await dispatchJson(input);
    } catch (error) {
      return failed(error);
    }
    meter.firstToken();
    const text = JSON.stringify(chatToResponse(request, served.json));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    meter.finish({
      status: 'ok',
      httpStatus: 200,
      target: served.target,
      attempts: served.attempts,
      usage: fromOpenAIUsage(served.json.usage),
    });
    return;
  }

  let served;
  try {
    served = await dispatchStream(input);
  } catch (error) {
    return failed(error);
  }
  const outcome = { target: served.target, attempts: served.attempts };
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  meter.firstToken();
  const out = new StreamWriter(res);
  const writer = new ResponsesStreamWriter(request, (text) => out.write(text));
  writer.start();
  // The streamed text, counted by the ledger when no usage came.
  const output = new TextTally();
  const read = (data: string) => {
    if (data === '[DONE]') return;
    const chunk = JSON.parse(data) as Json;
    if (chunk.error) throw new UpstreamStreamError(chunk.error.message ?? 'unknown');
    tallyOpenAIDelta(output, chunk);
    writer.chunk(chunk);
  };
  try {
    for (const event of served.head) read(event.data);
    for await (const event of served.rest) {
      read(event.data);
      const wait = out.ready();
      if (wait) await wait;
    }
    writer.finish();
    out.end();
    meter.finish({ status: 'ok', httpStatus: 200, ...outcome, usage: fromOpenAIUsage(writer.usage), output });
  } catch (error) {
    if (controller.signal.aborted || res.destroyed)
      return void meter.finish({ status: 'cancelled', httpStatus: 499, ...outcome, usage: fromOpenAIUsage(writer.usage), output });
    const message = `upstream ${served.target.provider.id} failed mid-stream: ${(error as Error).message}`;
    writer.fail(message);
    out.end();
    meter.finish({ status: 'error', httpStatus: 502, ...outcome, usage: fromOpenAIUsage(writer.usage), output, errorMessage: message });
  }
}
