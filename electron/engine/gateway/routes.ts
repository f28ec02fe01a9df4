// The API endpoints of the port, by path: which methods they take, whether they read a JSON body, and
// their handler. Each dialect adds its own lines here; auth, Origin, limits and allow-lists run first.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientAccess } from './client-access';
import { handleCountTokens } from './anthropic/count-tokens';
import { handleMessages } from './anthropic/messages';
import { handleAnthropicModels } from './anthropic/models';
import type { GatewayContext } from './context';
import { handleGenerateContent, handleStreamGenerateContent } from './gemini/generate';
import { handleGeminiCountTokens, handleGeminiModel, handleGeminiModels } from './gemini/models';
import { safeDecode } from './security';
import { handleOllamaChat, handleOllamaTags } from './ollama/chat';
import { handleOllamaEmbed, handleOllamaEmbeddings } from './ollama/embed';
import { handleOllamaGenerate } from './ollama/generate';
import { handleOllamaPs } from './ollama/ps';
import { handleOllamaShow, handleOllamaVersion } from './ollama/show';
import { handleChatCompletions } from './openai/chat-completions';
import { handleCompletions } from './openai/completions';
import { handleEmbeddings } from './openai/embeddings';
import { handleModel, handleModels } from './openai/models';
import { handleResponses } from './openai/responses';

/** What the server knows of a call beyond its body: the token's access, and a path parameter. */
export interface ApiCall {
  access: ClientAccess;
  /** The part of the path after a prefix route (`/v1/models/{id}`), decoded. */
  param?: string;
}

export interface ApiRoute {
  methods: readonly string[];
  /** True when the handler takes a JSON body (read, size- and time-limited, before it runs). */
  body: boolean;
  /** True when the path parameter is the model asked for (Gemini): the token's allow-list must cover it. */
  pathModel?: boolean;
  handle(
    ctx: GatewayContext,
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    client: string,
    call: ApiCall,
  ): Promise<void> | void;
}

export const API_ROUTES = new Map<string, ApiRoute>([
  ['/v1/chat/completions', { methods: ['POST'], body: true, handle: handleChatCompletions }],
  // Anthropic clients list models on the same path; they say so with `anthropic-version`.
  [
    '/v1/models',
    {
      methods: ['GET'],
      body: false,
      handle: (ctx, req, res, _b, _c, call) =>
        req.headers['anthropic-version'] ? handleAnthropicModels(ctx, res, call.access) : handleModels(ctx, res, call.access),
    },
  ],
  ['/v1/responses', { methods: ['POST'], body: true, handle: handleResponses }],
  ['/v1/completions', { methods: ['POST'], body: true, handle: handleCompletions }],
  ['/v1/embeddings', { methods: ['POST'], body: true, handle: handleEmbeddings }],
  ['/v1/messages', { methods: ['POST'], body: true, handle: handleMessages }],
  ['/v1/messages/count_tokens', { methods: ['POST'], body: true, handle: (ctx, req, res, body) => handleCountTokens(ctx, req, res, body) }],
  ['/api/chat', { methods: ['POST'], body: true, handle: handleOllamaChat }],
  ['/api/generate', { methods: ['POST'], body: true, handle: handleOllamaGenerate }],
  ['/api/embed', { methods: ['POST'], body: true, handle: handleOllamaEmbed }],
  ['/api/embeddings', { methods: ['POST'], body: true, handle: handleOllamaEmbeddings }],
  ['/api/ps', { methods: ['GET'], body: false, handle: (ctx, _req, res, _b, _c, call) => handleOllamaPs(ctx, res, call.access) }],
  ['/api/tags', { methods: ['GET'], body: false, handle: (ctx, _req, res, _b, _c, call) => handleOllamaTags(ctx, res, call.access) }],
  [
    '/api/show',
    { methods: ['POST'], body: true, handle: (ctx, _req, res, body, _c, call) => handleOllamaShow(ctx, res, body, call.access) },
  ],
  ['/api/version', { methods: ['GET'], body: false, handle: (_ctx, _req, res) => handleOllamaVersion(res) }],
  [
    '/v1beta/models',
    { methods: ['GET'], body: false, handle: (ctx, _req, res, _b, _c, call) => handleGeminiModels(ctx, res, call.access) },
  ],
]);

/** `GET /v1/models/{id}` (OpenAI and Anthropic clients both retrieve one model there; ids may hold `/`). */
const MODEL_BY_ID: ApiRoute = {
  methods: ['GET'],
  body: false,
  handle: (ctx, req, res, _b, _c, call) => handleModel(ctx, req, res, call.access, call.param ?? ''),
};

/** Gemini's `/v1beta/models/{model}:{method}`, by method. */
const GEMINI_METHODS = new Map<string, ApiRoute>([
  ['generateContent', { methods: ['POST'], body: true, pathModel: true, handle: handleGenerateContent }],
  ['streamGenerateContent', { methods: ['POST'], body: true, pathModel: true, handle: handleStreamGenerateContent }],
  ['countTokens', { methods: ['POST'], body: true, pathModel: true, handle: handleGeminiCountTokens }],
]);

/** `GET /v1beta/models/{model}`: one model, in Google's shape. */
const GEMINI_MODEL: ApiRoute = {
  methods: ['GET'],
  body: false,
  handle: (ctx, _req, res, _b, _c, call) => handleGeminiModel(ctx, res, call.access, call.param ?? ''),
};

/** A Google method the port does not serve (`:embedContent`...): a 404, not a lookup of a model by that name. */
const GOOGLE_METHOD = /^[a-z]+(?:[A-Z][a-z]*)+$/;

/**
 * The part after `/v1beta/models/`: a model id (which may hold `/`, raw or as `%2F`, and `:` as Ollama
 * tags do, so the method is what follows the last colon) and maybe `:method`. `models/` is Google's prefix.
 */
function geminiRoute(rest: string): { route: ApiRoute; param: string } | undefined {
  const colon = rest.lastIndexOf(':');
  const method = colon === -1 ? undefined : rest.slice(colon + 1);
  const route = method === undefined ? undefined : GEMINI_METHODS.get(method);
  if (method !== undefined && route === undefined && GOOGLE_METHOD.test(method)) return undefined;
  const raw = route ? rest.slice(0, colon) : rest;
  // A malformed escape is left as sent: no model has that id, so the client gets a plain 404.
  const decoded = safeDecode(raw) ?? raw;
  const model = decoded.startsWith('models/') ? decoded.slice('models/'.length) : decoded;
  return model ? { route: route ?? GEMINI_MODEL, param: model } : undefined;
}

/** The route for a path, and the parameter a prefix route takes from it. */
export function apiRoute(pathname: string): { route: ApiRoute; param?: string } | undefined {
  const route = API_ROUTES.get(pathname);
  if (route) return { route };
  if (pathname.startsWith('/v1/models/') && pathname.length > '/v1/models/'.length) {
    // A malformed escape is left as sent: no model has that id, so the client gets a plain 404.
    const raw = pathname.slice('/v1/models/'.length);
    return { route: MODEL_BY_ID, param: safeDecode(raw) ?? raw };
  }
  if (pathname.startsWith('/v1beta/models/')) return geminiRoute(pathname.slice('/v1beta/models/'.length));
  return undefined;
}
