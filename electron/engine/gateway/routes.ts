// The API endpoints of the port, by path: which methods they take, whether they read a JSON body, and
// their handler. Each dialect adds its own lines here; auth, Origin, limits and allow-lists run first.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientAccess } from './client-access';
import { handleCountTokens } from './anthropic/count-tokens';
import { handleMessages } from './anthropic/messages';
import { handleAnthropicModels } from './anthropic/models';
import type { GatewayContext } from './context';
import { safeDecode } from './security';
import { handleOllamaChat, handleOllamaTags } from './ollama/chat';
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
  handle(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, body: unknown, client: string, call: ApiCall): Promise<void> | void;
}

export const API_ROUTES = new Map<string, ApiRoute>([
  ['/v1/chat/completions', { methods: ['POST'], body: true, handle: handleChatCompletions }],
  // Anthropic clients list models on the same path; they say so with `anthropic-version`.
  ['/v1/models', { methods: ['GET'], body: false, handle: (ctx, req, res, _b, _c, call) => (req.headers['anthropic-version'] ? handleAnthropicModels(ctx, res, call.access) : handleModels(ctx, res, call.access)) }],
  ['/v1/responses', { methods: ['POST'], body: true, handle: handleResponses }],
  ['/v1/completions', { methods: ['POST'], body: true, handle: handleCompletions }],
  ['/v1/embeddings', { methods: ['POST'], body: true, handle: handleEmbeddings }],
  ['/v1/messages', { methods: ['POST'], body: true, handle: handleMessages }],
  ['/v1/messages/count_tokens', { methods: ['POST'], body: true, handle: (ctx, req, res, body) => handleCountTokens(ctx, req, res, body) }],
  ['/api/chat', { methods: ['POST'], body: true, handle: handleOllamaChat }],
  ['/api/tags', { methods: ['GET'], body: false, handle: (ctx, _req, res, _b, _c, call) => handleOllamaTags(ctx, res, call.access) }],
  ['/api/show', { methods: ['POST'], body: true, handle: (ctx, _req, res, body, _c, call) => handleOllamaShow(ctx, res, body, call.access) }],
  ['/api/version', { methods: ['GET'], body: false, handle: (_ctx, _req, res) => handleOllamaVersion(res) }],
]);

/** `GET /v1/models/{id}` (OpenAI and Anthropic clients both retrieve one model there; ids may hold `/`). */
const MODEL_BY_ID: ApiRoute = { methods: ['GET'], body: false, handle: (ctx, req, res, _b, _c, call) => handleModel(ctx, req, res, call.access, call.param ?? '') };

/** The route for a path, and the parameter a prefix route takes from it. */
export function apiRoute(pathname: string): { route: ApiRoute; param?: string } | undefined {
  const route = API_ROUTES.get(pathname);
  if (route) return { route };
  if (pathname.startsWith('/v1/models/') && pathname.length > '/v1/models/'.length) {
    // A malformed escape is left as sent: no model has that id, so the client gets a plain 404.
    const raw = pathname.slice('/v1/models/'.length);
    return { route: MODEL_BY_ID, param: safeDecode(raw) ?? raw };
  }
  return undefined;
}
