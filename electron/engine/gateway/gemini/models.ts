// GET /v1beta/models, GET /v1beta/models/{model} and POST /v1beta/models/{model}:countTokens (Gemini
// dialect): the routes and provider/model ids the token may use, in Google's Model shape, and a local
// token estimate (the tokenizer every count-tokens estimate uses) as `{ totalTokens }`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ModelChoice } from '../../../../shared/types';
import { estimateCanonicalTokens } from '../../canonical/estimate-tokens';
import type { RoutingError } from '../../router/failures';
import type { ClientAccess } from '../client-access';
import type { GatewayContext } from '../context';
import type { ApiCall } from '../routes';
import { modelsFor } from '../visible-models';
import { sendJson } from '../relay';
import { GEMINI_JSON, sendGeminiError } from './errors';
import { decodeOrRefuse } from './generate';

/** What the port serves for every model, whatever the upstream's protocol. */
const METHODS = ['generateContent', 'streamGenerateContent', 'countTokens'];

const sendGoogleJson = (res: ServerResponse, value: unknown): void => sendJson(res, value, GEMINI_JSON);

function googleModel(c: ModelChoice, contextWindow?: number): Record<string, unknown> {
  const model: Record<string, unknown> = {
    name: `models/${c.id}`,
    baseModelId: c.id,
    version: c.kind === 'route' ? 'route' : '1',
    displayName: c.label,
    supportedGenerationMethods: METHODS,
  };
  if (contextWindow !== undefined) model.inputTokenLimit = contextWindow;
  return model;
}

export async function handleGeminiModels(ctx: GatewayContext, res: ServerResponse, access: ClientAccess): Promise<void> {
  sendGoogleJson(res, { models: (await modelsFor(ctx, access)).map((c) => googleModel(c)) });
}

export async function handleGeminiModel(ctx: GatewayContext, res: ServerResponse, access: ClientAccess, id: string): Promise<void> {
  const choice = (await modelsFor(ctx, access)).find((c) => c.id === id);
  if (!choice)
    return sendGeminiError(
      res,
      404,
      `models/${id} is not found, or this client token may not use it (GET /v1beta/models lists the ones it may)`,
    );
  // A route is only as large as its smallest target's window (any of them may answer).
  let windows: number[] = [];
  try {
    windows = ctx
      .table()
      .resolve(id)
      .targets.map((t) => t.contextWindow)
      .filter((w): w is number => typeof w === 'number');
  } catch {
    // listed but not resolvable now (a route whose providers went away): no window to report
  }
  sendGoogleJson(res, googleModel(choice, windows.length ? Math.min(...windows) : undefined));
}

/** countTokens takes `contents` (and friends) or a whole `generateContentRequest`. */
export function handleGeminiCountTokens(
  ctx: GatewayContext,
  _req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  _client: string,
  call: ApiCall,
): void {
  const model = call.param ?? '';
  const b = (body ?? {}) as Record<string, unknown>;
  const inner = b.generateContentRequest !== undefined && typeof b.generateContentRequest === 'object' ? b.generateContentRequest : body;
  try {
    ctx.table().resolve(model);
  } catch (error) {
    const e = error as RoutingError;
    return sendGeminiError(res, e.status ?? 404, e.message);
  }
  const request = decodeOrRefuse(res, inner, model, false);
  if (request) sendGoogleJson(res, { totalTokens: estimateCanonicalTokens(request) });
}
