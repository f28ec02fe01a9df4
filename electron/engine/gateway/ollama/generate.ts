// POST /api/generate (Ollama dialect): a one-shot completion of `prompt`, asked of the route as a
// one-turn chat (with `system` and `images`) through the same canonical path and relay as /api/chat,
// and answered in generate's shape (`response` lines, a final line with `context`).
import type { ServerResponse } from 'node:http';
import { decodeOllamaRequest } from '../../providers/ollama/ollama-dialect';
import type { RoutingError } from '../../router/failures';
import type { GatewayContext } from '../context';
import type { BodyHandler } from '../routed-request';
import { relayOllama } from './chat';
import { sendJsonText } from '../relay';
import { OLLAMA_JSON, sendOllamaError } from './errors';

type Json = Record<string, unknown>;

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

function validate(body: unknown): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'the request body must be a JSON object';
  const b = body as Json;
  if (typeof b.model !== 'string' || !b.model) return 'model is required';
  for (const key of ['prompt', 'system', 'suffix'] as const) {
    if (b[key] !== undefined && b[key] !== null && typeof b[key] !== 'string') return `${key} must be a string`;
  }
  if (b.images !== undefined && b.images !== null && !isStrings(b.images)) return 'images must be an array of base64 strings';
  if (b.stream !== undefined && typeof b.stream !== 'boolean') return 'stream must be a boolean';
  return null;
}

/** Ollama answers a request with nothing to complete by loading the model: here there is nothing to load, once the name resolves. */
function sendLoaded(ctx: GatewayContext, res: ServerResponse, model: string): void {
  try {
    ctx.table().resolve(model);
  } catch (error) {
    return sendOllamaError(res, (error as RoutingError).status ?? 404, (error as Error).message);
  }
  sendJsonText(
    res,
    JSON.stringify({ model, created_at: new Date().toISOString(), response: '', done: true, done_reason: 'load' }),
    OLLAMA_JSON,
  );
}

/**
 * The request as the one-turn /api/chat body it amounts to. `raw` (no prompt template) changes
 * nothing here, where no template is applied; `context` (the tokens of an earlier answer) cannot be
 * replayed to a remote model and is left out, as is `template`.
 */
function asChatBody(b: Json): Json {
  const messages: Json[] = [];
  if (typeof b.system === 'string' && b.system) messages.push({ role: 'system', content: b.system });
  messages.push({ role: 'user', content: b.prompt ?? '', ...(isStrings(b.images) && b.images.length ? { images: b.images } : {}) });
  return { model: b.model, messages, format: b.format, options: b.options, stream: b.stream, think: b.think };
}

export const handleOllamaGenerate: BodyHandler = async (ctx, req, res, body, client) => {
  const invalid = validate(body);
  if (invalid) return sendOllamaError(res, 400, invalid);
  const b = body as Json;
  const model = b.model as string;
  // Fill-in-the-middle needs a model's own insert template, which a chat turn cannot stand in for:
  // Ollama's own answer for a model without one (the port serves FIM at /v1/completions with `suffix`).
  if (typeof b.suffix === 'string' && b.suffix)
    return sendOllamaError(res, 400, `${model} does not support insert (fill-in-the-middle is served at /v1/completions with suffix)`);
  if (!b.prompt && !(isStrings(b.images) && b.images.length)) return sendLoaded(ctx, res, model);
  const chat = asChatBody(b);
  return relayOllama(ctx, req, res, client, decodeOllamaRequest(chat), chat, 'generate');
};
