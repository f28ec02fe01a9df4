// GET /v1/models: route names, then every configured `provider/model` id, in OpenAI's list shape.
import type { ServerResponse } from 'node:http';
import type { GatewayContext } from '../context';

export async function handleModels(ctx: GatewayContext, res: ServerResponse): Promise<void> {
  const choices = await ctx.services.models.list();
  const body = JSON.stringify({
    object: 'list',
    data: choices.map((c) => ({ id: c.id, object: 'model', created: 0, owned_by: c.kind === 'route' ? 'switchboard' : c.id.split('/')[0] })),
  });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
