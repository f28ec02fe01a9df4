// GET /api/ps (Ollama dialect): the models "loaded" right now. Nothing is loaded locally behind the
// port, so every model the token may use is ready: tools that check /api/ps before chatting proceed.
import type { ServerResponse } from 'node:http';
import type { ClientAccess } from '../client-access';
import type { GatewayContext } from '../context';
import { sendJsonText } from '../relay';
import { modelsFor } from '../visible-models';
import { ollamaModelDetails } from './chat';
import { OLLAMA_JSON } from './errors';

/** Far in the future: a remote model never unloads. */
const NEVER = new Date(Date.UTC(2099, 0, 1)).toISOString();

export async function handleOllamaPs(ctx: GatewayContext, res: ServerResponse, access: ClientAccess): Promise<void> {
  const models = (await modelsFor(ctx, access)).map((c) => ({
    name: c.id,
    model: c.id,
    size: 0,
    digest: '',
    details: ollamaModelDetails(c),
    expires_at: NEVER,
    size_vram: 0,
  }));
  sendJsonText(res, JSON.stringify({ models }), OLLAMA_JSON);
}
