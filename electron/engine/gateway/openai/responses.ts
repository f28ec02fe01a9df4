// POST /v1/responses: the Responses API on top of the chat dispatch (translated both ways), so it works
// with every provider the router can reach, streaming or not, with function and namespace tools; hosted
// tools are dropped and named (x-switchboard-dropped-tools, the request log), never refused.
import { UpstreamStreamError } from '../../canonical/errors';
import { tallyOpenAIDelta, TextTally } from '../../canonical/text-tally';
import { fromOpenAIUsage } from '../../canonical/usage';
import { dispatchJson, dispatchStream } from '../../router/dispatch';
import { endFailedStream, EVENT_STREAM_HEADERS, pumpStream, sendJsonText } from '../relay';
import { beginRouted, type BodyHandler, failRouted, headerDroppedTools } from '../routed-request';
import { sendOpenAIError, sendOpenAIRoutingError } from './errors';
import { ResponsesStreamWriter } from './responses-stream';
import { StreamWriter } from '../stream-writer';
import { responsesNotes, toolPlan } from './responses-tools';
import { chatToResponse, openAIOnlyFields, responsesToChat, TranslationError } from './responses-translate';
import { withFields } from '../../with-fields';

type Json = Record<string, any>;

export const handleResponses: BodyHandler = async (ctx, req, res, body, client) => {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return sendOpenAIError(res, 400, 'the request body must be a JSON object');
  const request = body as Json;
  let chat: Json;
  try {
    chat = responsesToChat(request);
  } catch (error) {
    if (error instanceof TranslationError) return sendOpenAIError(res, 400, error.message);
    throw error;
  }
  const routed = beginRouted(ctx, req, res, {
    model: chat.model,
    body: chat,
    client,
    stream: chat.stream === true,
    sendError: sendOpenAIRoutingError,
  });
  if (!routed) return;
  const { meter, controller } = routed;
  headerDroppedTools(res, toolPlan(request).dropped);
  meter.notes = responsesNotes(request, toolPlan(request));
  const input = withFields(routed.failover, { body: chat, openAIOnly: openAIOnlyFields(request) });

  if (chat.stream !== true) {
    let served;
    try {
      served = await dispatchJson(input);
    } catch (error) {
      return failRouted(res, meter, error, controller.signal, sendOpenAIRoutingError);
    }
    meter.firstToken();
    const text = JSON.stringify(chatToResponse(request, served.json));
    // The row is on disk before the answer goes (RequestMeter.finish).
    meter.finish(
      { status: 'ok', httpStatus: 200, target: served.target, attempts: served.attempts, usage: fromOpenAIUsage(served.json.usage) },
      () => sendJsonText(res, text),
    );
    return;
  }

  let served;
  try {
    served = await dispatchStream(input);
  } catch (error) {
    return failRouted(res, meter, error, controller.signal, sendOpenAIRoutingError);
  }
  const outcome = { target: served.target, attempts: served.attempts };
  res.writeHead(200, EVENT_STREAM_HEADERS);
  meter.firstToken();
  const out = new StreamWriter(res);
  const writer = new ResponsesStreamWriter(request, (text) => out.write(text));
  writer.start();
  // The streamed text, counted by the ledger when no usage came.
  const output = new TextTally();
  const read = (event: { data: string }) => {
    if (event.data === '[DONE]') return;
    const chunk = JSON.parse(event.data) as Json;
    if (chunk.error) throw new UpstreamStreamError(chunk.error.message ?? 'unknown');
    tallyOpenAIDelta(output, chunk);
    writer.chunk(chunk);
  };
  try {
    await pumpStream(served, out, read);
    writer.finish();
    meter.finish({ status: 'ok', httpStatus: 200, ...outcome, usage: fromOpenAIUsage(writer.usage), output }, () => out.end());
  } catch (error) {
    // The failure is the Responses stream's own failed event, written before the stream ends.
    endFailedStream(res, meter, controller.signal, out, outcome, fromOpenAIUsage(writer.usage), output, error, (message) => {
      writer.fail(message);
      return undefined;
    });
  }
};
