// The API endpoints of the port, by path: which methods they take, whether they read a JSON body, and
// their handler. Each dialect adds its own lines here; auth, Origin, limits and allow-lists run first.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleCountTokens } from './anthropic/count-tokens';
import { handleMessages } from './anthropic/messages';
import { handleAnthropicModels } from './anthropic/models';
import type { GatewayContext } from './context';
import { handleOllamaChat, handleOllamaTags } from './ollama/chat';
import { handleOllamaShow, handleOllamaVersion } from './ollama/show';
import { handleChatCompletions } from './openai/chat-completions';
import { handleEmbeddings } from './openai/embeddings';
import { handleModels } from './openai/models';
import { handleResponses } from './openai/responses';

export interface ApiRoute {
  methods: readonly string[];
  /** True when the handler takes a JSON body (read, size- and time-limited, before it runs). */
  body: boolean;
  handle(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, body: unknown, client: string): Promise<void> | void;
}

export const API_ROUTES = new Map<string, ApiRoute>([
  ['/v1/chat/completions', { methods: ['POST'], body: true, handle: handleChatCompletions }],
  // Anthropic clients list models on the same path; they say so with `anthropic-version`.
  ['/v1/models', { methods: ['GET'], body: false, handle: (ctx, req, res) => (req.headers['anthropic-version'] ? handleAnthropicModels(ctx, res) : handleModels(ctx, res)) }],
  ['/v1/responses', { methods: ['POST'], body: true, handle: handleResponses }],
  ['/v1/embeddings', { methods: ['POST'], body: true, handle: handleEmbeddings }],
  ['/v1/messages', { methods: ['POST'], body: true, handle: handleMessages }],
  ['/v1/messages/count_tokens', { methods: ['POST'], body: true, handle: (ctx, req, res, body) => handleCountTokens(ctx, req, res, body) }],
  ['/api/chat', { methods: ['POST'], body: true, handle: handleOllamaChat }],
  ['/api/tags', { methods: ['GET'], body: false, handle: (ctx, _req, res) => handleOllamaTags(ctx, res) }],
  ['/api/show', { methods: ['POST'], body: true, handle: (ctx, _req, res, body) => handleOllamaShow(ctx, res, body) }],
  ['/api/version', { methods: ['GET'], body: false, handle: (_ctx, _req, res) => handleOllamaVersion(res) }],
]);
