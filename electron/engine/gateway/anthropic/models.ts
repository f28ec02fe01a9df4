// GET /v1/models for Anthropic clients (they send `anthropic-version`): the same routes and
// provider/model ids, in Anthropic's paginated list shape, so `client.models.list()` works.
import type { ServerResponse } from 'node:http';
import type { ClientAccess } from '../client-access';
import type { GatewayContext } from '../context';
import { sendJson } from '../relay';
import { modelsFor } from '../visible-models';

export async function handleAnthropicModels(ctx: GatewayContext, res: ServerResponse, access: ClientAccess): Promise<void> {
  const choices = await modelsFor(ctx, access);
  const data = choices.map((c) => ({ type: 'model', id: c.id, display_name: c.label, created_at: new Date(0).toISOString() }));
  sendJson(res, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
}
