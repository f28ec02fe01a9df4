// The API endpoints of the port, by path: which methods they take, whether they read a JSON body, and
// their handler. Each dialect adds its own lines here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayContext } from './context';
import { handleOllamaShow, handleOllamaVersion } from './ollama/meta';
import { handleChatCompletions } from './openai/chat-completions';
import { handleEmbeddings } from './openai/embeddings';
import { handleModels } from './openai/models';
import { handleResponses } from './openai/responses';

export interface ApiRoute {
  methods: readonly string[];
  /** True when the handler takes a JSON body (read, size- and time-limited, before it runs). */
  body: boolean;
  handle(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, body: unknown, client: string): Promise<void>;
}

export const API_ROUTES = new Map<string, ApiRoute>([
  ['/v1/chat/completions', { methods: ['POST'], body: true, handle: handleChatCompletions }],
  ['/v1/models', { methods: ['GET'], body: false, handle: (ctx, _req, res) => handleModels(ctx, res) }],
  ['/v1/responses', { methods: ['POST'], body: true, handle: handleResponses }],
  ['/v1/embeddings', { methods: ['POST'], body: true, handle: handleEmbeddings }],
  ['/api/show', { methods: ['POST'], body: true, handle: handleOllamaShow }],
  ['/api/version', { methods: ['GET'], body: false, handle: (_ctx, _req, res) => handleOllamaVersion(res) }],
]);
