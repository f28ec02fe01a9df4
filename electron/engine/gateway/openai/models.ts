// GET /v1/models: route names, then every configured `provider/model` id the client token may use, in
// OpenAI's list shape; GET /v1/models/{id}: one of them (in Anthropic's shape for Anthropic clients).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ModelChoice } from '../../../../shared/types';
import type { ClientAccess } from '../client-access';
import type { GatewayContext } from '../context';
import { sendDialectError } from '../dialect-errors';
import { sendJson } from '../relay';
import { modelsFor } from '../visible-models';

const openAIModel = (c: ModelChoice) => ({
  id: c.id,
  object: 'model',
  created: 0,
  owned_by: c.kind === 'route' ? 'switchboard' : c.id.split('/')[0],
});

export async function handleModels(ctx: GatewayContext, res: ServerResponse, access: ClientAccess): Promise<void> {
  sendJson(res, { object: 'list', data: (await modelsFor(ctx, access)).map(openAIModel) });
}

export async function handleModel(
  ctx: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  access: ClientAccess,
  id: string,
): Promise<void> {
  const anthropic = req.headers['anthropic-version'] !== undefined;
  const choice = (await modelsFor(ctx, access)).find((c) => c.id === id);
  if (!choice) {
    const message = `The model \`${id}\` does not exist or this client token may not use it (GET /v1/models lists the ones it may)`;
    return sendDialectError(res, anthropic ? 'anthropic' : 'openai', 404, message, 'model_not_found');
  }
  sendJson(
    res,
    anthropic ? { type: 'model', id: choice.id, display_name: choice.label, created_at: new Date(0).toISOString() } : openAIModel(choice),
  );
}
