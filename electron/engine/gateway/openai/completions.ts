// POST /v1/completions: legacy text completions, which editors' tab autocomplete uses for
// fill-in-the-middle (`prompt` plus `suffix`). Routed like chat (route names, `provider/model`,
// failover) to OpenAI-protocol providers, and relayed the way chat is (usage tapped, JSON or SSE).
import { dispatchCompletionsJson, dispatchCompletionsStream } from '../../router/dispatch';
import { beginRouted, type BodyHandler } from '../routed-request';
import { relayJson, relayStream, wantsStreamUsage } from './chat-completions';
import { sendOpenAIError, sendOpenAIRoutingError } from './errors';
import { withFields } from '../../with-fields';

const isTokenList = (v: unknown) => Array.isArray(v) && v.every((t) => Number.isInteger(t));

function validate(body: unknown): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'the request body must be a JSON object';
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || !b.model) return '`model` must be a non-empty string';
  const p = b.prompt;
  const prompt =
    typeof p === 'string' ||
    isTokenList(p) ||
    (Array.isArray(p) && p.length > 0 && (p.every((x) => typeof x === 'string') || p.every(isTokenList)));
  if (!prompt) return '`prompt` must be a string, an array of strings, or token arrays';
  if (b.suffix !== undefined && b.suffix !== null && typeof b.suffix !== 'string') return '`suffix` must be a string';
  if (b.stream !== undefined && typeof b.stream !== 'boolean') return '`stream` must be a boolean';
  return null;
}

export const handleCompletions: BodyHandler = async (ctx, req, res, body, client) => {
  const invalid = validate(body);
  if (invalid) return sendOpenAIError(res, 400, invalid);
  const b = body as Record<string, unknown>;
  const stream = b.stream === true;
  const routed = beginRouted(ctx, req, res, { model: b.model as string, body: b, client, stream, sendError: sendOpenAIRoutingError });
  if (!routed) return;
  const input = withFields(routed.failover, { body: b });
  if (stream) return relayStream(res, input, routed.meter, wantsStreamUsage(b), dispatchCompletionsStream);
  return relayJson(res, input, routed.meter, dispatchCompletionsJson);
};
