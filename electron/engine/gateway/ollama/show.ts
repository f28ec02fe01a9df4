// GET /api/version and POST /api/show (Ollama dialect): what Ollama-speaking tools ask before they
// chat — the server version (for feature checks) and a model's details, context length included.
import type { ServerResponse } from 'node:http';
import { RoutingError } from '../../router/failures';
import { mayUse, type ClientAccess } from '../client-access';
import type { GatewayContext } from '../context';
import { sendJsonText } from '../relay';
import { OLLAMA_JSON, sendOllamaError } from './errors';

/** An Ollama version recent enough for tools, thinking and structured outputs. */
const OLLAMA_COMPAT_VERSION = '0.12.0';

const json = (res: ServerResponse, payload: unknown): void => sendJsonText(res, JSON.stringify(payload), OLLAMA_JSON);

export function handleOllamaVersion(res: ServerResponse): void {
  json(res, { version: OLLAMA_COMPAT_VERSION });
}

export function handleOllamaShow(ctx: GatewayContext, res: ServerResponse, body: unknown, access: ClientAccess): void {
  const b = (body ?? {}) as { model?: unknown; name?: unknown };
  const name = typeof b.model === 'string' ? b.model : typeof b.name === 'string' ? b.name : '';
  if (!name) return sendOllamaError(res, 400, 'model is required');
  // Older clients name the model in `name`, which the port's allow-list check (on `model`) does not see.
  if (!mayUse(access, name)) return sendOllamaError(res, 403, `the client token "${access.name}" may not use \`${name}\``);
  let targets;
  try {
    targets = ctx.table().resolve(name).targets;
  } catch (error) {
    return sendOllamaError(res, (error as RoutingError).status ?? 404, (error as Error).message);
  }
  // A route is only as large as its smallest target's window (any of them may answer).
  const windows = targets.map((t) => t.contextWindow).filter((w): w is number => typeof w === 'number');
  const modelInfo: Record<string, unknown> = { 'general.architecture': 'switchboard', 'general.basename': name };
  if (windows.length) modelInfo['switchboard.context_length'] = Math.min(...windows);
  json(res, {
    modelfile: '',
    parameters: '',
    template: '',
    details: {
      parent_model: '',
      format: 'remote',
      family: targets[0]!.provider.kind,
      families: [...new Set(targets.map((t) => t.provider.kind))],
      parameter_size: '',
      quantization_level: '',
    },
    model_info: modelInfo,
    capabilities: ['completion', 'tools', 'vision', 'thinking'],
    modified_at: new Date(0).toISOString(),
  });
}
