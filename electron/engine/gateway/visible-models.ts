// The models a client token sees: every dialect's model list and lookup shows only the routes and
// `provider/model` ids the token may address (all of them for a token without an allow-list).
import type { ModelChoice } from '../../../shared/types';
import { mayUse, type ClientAccess } from './client-access';
import type { GatewayContext } from './context';

export async function modelsFor(ctx: GatewayContext, access: ClientAccess): Promise<ModelChoice[]> {
  return (await ctx.services.models.list()).filter((c) => mayUse(access, c.id));
}
