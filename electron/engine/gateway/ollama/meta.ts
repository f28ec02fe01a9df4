// Ollama's /api/version and /api/show, enough for tools that only speak Ollama to list and inspect the
// port's models (chat and tags live with the Ollama dialect). A model here is a route name or `provider/model`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayContext } from '../context';
import { sendDialectError } from '../dialect-errors';

/** The Ollama API version we answer as: recent enough that tools enable chat and tools. */
export const OLLAMA_COMPAT_VERSION = '0.12.6';

function sendJson(res: ServerResponse, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export async function handleOllamaVersion(res: ServerResponse): Promise<void> {
  sendJson(res, { version: OLLAMA_COMPAT_VERSION });
}

export async function handleOllamaShow(ctx: GatewayContext, _req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
  const b = (body && typeof body === 'object' ? body : {}) as { model?: unknown; name?: unknown };
  // Older clients send `name`, newer ones `model`.
  const name = typeof b.model === 'string' ? b.model : typeof b.name === 'string' ? b.name : undefined;
  if (!name) return sendDialectError(res, 'ollama', 400, '`model` must be a non-empty string');
  let resolution;
  try {
    resolution = ctx.table().resolve(name);
  } catch {
    return sendDialectError(res, 'ollama', 404, `model "${name}" not found: use a route name or provider/model (GET /api/tags lists them)`);
  }
  const first = resolution.targets[0]!;
  const contextWindow = resolution.targets.reduce<number | undefined>((min, t) => (t.contextWindow === undefined ? min : Math.min(min ?? Infinity, t.contextWindow)), undefined);
  const family = first.provider.kind;
  sendJson(res, {
    license: '',
    modelfile: `# served by Switchboard: ${resolution.route ? `route ${resolution.route}` : name}\nFROM ${first.provider.id}/${first.model}\n`,
    parameters: '',
    template: '{{ .Prompt }}',
    details: { parent_model: '', format: 'remote', family, families: [family], parameter_size: '', quantization_level: '' },
    model_info: {
      'general.architecture': family,
      'general.basename': name,
      ...(contextWindow !== undefined ? { [`${family}.context_length`]: contextWindow } : {}),
    },
    capabilities: ['completion', 'tools'],
    modified_at: new Date(0).toISOString(),
  });
}
