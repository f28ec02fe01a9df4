// POST /api/embed and the older POST /api/embeddings (Ollama dialect): translated to an OpenAI-shaped
// embeddings request, routed and failed over like /v1/embeddings, and answered in Ollama's shapes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fromOpenAIUsage } from '../../canonical/usage';
import { openOpenAIEmbeddings } from '../../providers/openai/openai-embeddings';
import { runWithFailover } from '../../router/failover';
import type { GatewayContext } from '../context';
import { beginRouted, type BodyHandler, failRouted } from '../routed-request';
import { sendJsonText } from '../relay';
import { OLLAMA_JSON, sendOllamaError, sendOllamaRoutingError } from './errors';

type Json = Record<string, unknown>;

/** `input` (a string or strings) for /api/embed; `prompt` (one string) for /api/embeddings. */
function inputsOf(b: Json, legacy: boolean): string[] | string {
  if (legacy) return typeof b.prompt === 'string' ? [b.prompt] : 'prompt must be a string';
  if (typeof b.input === 'string') return [b.input];
  if (Array.isArray(b.input) && b.input.length > 0 && b.input.every((i) => typeof i === 'string')) return b.input as string[];
  return 'input must be a string or a non-empty array of strings';
}

const send = (res: ServerResponse, payload: Json): void => sendJsonText(res, JSON.stringify(payload), OLLAMA_JSON);

async function handle(
  ctx: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  client: string,
  legacy: boolean,
): Promise<void> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return sendOllamaError(res, 400, 'the request body must be a JSON object');
  const b = body as Json;
  if (typeof b.model !== 'string' || !b.model) return sendOllamaError(res, 400, 'model is required');
  const inputs = inputsOf(b, legacy);
  if (typeof inputs === 'string') return sendOllamaError(res, 400, inputs);
  const upstreamBody: Json = { model: b.model, input: inputs, encoding_format: 'float' };
  if (typeof b.dimensions === 'number') upstreamBody.dimensions = b.dimensions;
  const routed = beginRouted(ctx, req, res, {
    model: b.model,
    body: upstreamBody,
    client,
    stream: false,
    sendError: sendOllamaRoutingError,
  });
  if (!routed) return;
  const { meter, controller } = routed;
  const started = performance.now();
  try {
    const served = await runWithFailover({ ...routed.failover }, (attempt) => openOpenAIEmbeddings(upstreamBody, attempt));
    const data = (JSON.parse(served.text) as { data?: Array<{ embedding?: unknown; index?: number }> }).data ?? [];
    const vectors = [...data].sort((x, y) => (x.index ?? 0) - (y.index ?? 0)).map((d) => d.embedding);
    const usage = fromOpenAIUsage(served.usage);
    meter.firstToken();
    const answer = legacy
      ? { embedding: vectors[0] ?? [] }
      : {
          model: b.model,
          embeddings: vectors,
          total_duration: Math.round((performance.now() - started) * 1e6),
          load_duration: 0,
          prompt_eval_count: usage?.inputTokens ?? 0,
        };
    // The row is on disk before the answer goes (RequestMeter.finish).
    meter.finish({ status: 'ok', httpStatus: 200, target: served.target, attempts: served.attempts, usage }, () => send(res, answer));
  } catch (error) {
    failRouted(res, meter, error, controller.signal, sendOllamaRoutingError);
  }
}

export const handleOllamaEmbed: BodyHandler = (ctx, req, res, body, client) => handle(ctx, req, res, body, client, false);
export const handleOllamaEmbeddings: BodyHandler = (ctx, req, res, body, client) => handle(ctx, req, res, body, client, true);
