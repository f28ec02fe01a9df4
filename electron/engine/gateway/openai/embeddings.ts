// POST /v1/embeddings: routed like chat (route names, `provider/model`, failover) to OpenAI-compatible
// providers; the upstream's answer passes through unchanged.
import { fromOpenAIUsage } from '../../canonical/usage';
import { openOpenAIEmbeddings } from '../../providers/openai/openai-embeddings';
import { runWithFailover } from '../../router/failover';
import { sendJsonText } from '../relay';
import { beginRouted, type BodyHandler, failRouted } from '../routed-request';
import { sendOpenAIError, sendOpenAIRoutingError } from './errors';

function validate(body: unknown): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'the request body must be a JSON object';
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || !b.model) return '`model` must be a non-empty string';
  const input = b.input;
  const ok =
    typeof input === 'string' ||
    (Array.isArray(input) &&
      input.length > 0 &&
      (input.every((i) => typeof i === 'string') || input.every((i) => typeof i === 'number') || input.every((i) => Array.isArray(i))));
  if (!ok) return '`input` must be a string, an array of strings, or an array of token arrays';
  return null;
}

export const handleEmbeddings: BodyHandler = async (ctx, req, res, body, client) => {
  const invalid = validate(body);
  if (invalid) return sendOpenAIError(res, 400, invalid);
  const b = body as Record<string, unknown>;
  const routed = beginRouted(ctx, req, res, {
    model: b.model as string,
    body: b,
    client,
    stream: false,
    sendError: sendOpenAIRoutingError,
  });
  if (!routed) return;
  const { meter, controller } = routed;
  try {
    const served = await runWithFailover({ ...routed.failover }, (attempt) => openOpenAIEmbeddings(b, attempt));
    // The row is on disk before the answer goes (RequestMeter.finish).
    meter.finish(
      { status: 'ok', httpStatus: 200, target: served.target, attempts: served.attempts, usage: fromOpenAIUsage(served.usage) },
      () => sendJsonText(res, served.text),
    );
  } catch (error) {
    failRouted(res, meter, error, controller.signal, sendOpenAIRoutingError);
  }
};
