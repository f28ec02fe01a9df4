// POST /v1/embeddings: routed like chat (route names, `provider/model`, failover) to OpenAI-compatible
// providers; the upstream's answer passes through unchanged.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMeter } from '../../accounting';
import { budgetPreflight } from '../../budgets';
import { fromOpenAIUsage } from '../../canonical/usage';
import { openOpenAIEmbeddings } from '../../providers/openai-embeddings';
import { runWithFailover } from '../../router/failover';
import { RoutingError } from '../../router/failures';
import type { GatewayContext } from '../context';
import { sendOpenAIError } from './errors';

function validate(body: unknown): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'the request body must be a JSON object';
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || !b.model) return '`model` must be a non-empty string';
  const input = b.input;
  const ok = typeof input === 'string' || (Array.isArray(input) && input.length > 0 && (input.every((i) => typeof i === 'string') || input.every((i) => typeof i === 'number') || input.every((i) => Array.isArray(i))));
  if (!ok) return '`input` must be a string, an array of strings, or an array of token arrays';
  return null;
}

export async function handleEmbeddings(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, body: unknown, client: string): Promise<void> {
  const invalid = validate(body);
  if (invalid) return sendOpenAIError(res, 400, invalid);
  const b = body as Record<string, unknown>;
  let resolution;
  try {
    resolution = ctx.table().resolve(b.model as string);
  } catch (error) {
    const e = error as RoutingError;
    return sendOpenAIError(res, e.status, e.message, e.type, e.code);
  }
  const meter = new RequestMeter(ctx.ledger, 'port', client, resolution.route);
  res.setHeader('x-request-id', meter.id);
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  try {
    const served = await runWithFailover({ targets: resolution.targets, vault: ctx.vault, signal: controller.signal, preflight: budgetPreflight(ctx.budgets, client, b, resolution.targets) }, (attempt) => openOpenAIEmbeddings(b, attempt));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(served.text) });
    res.end(served.text);
    meter.finish({ status: 'ok', httpStatus: 200, target: served.target, attempts: served.attempts, usage: fromOpenAIUsage(served.usage) });
  } catch (error) {
    if (controller.signal.aborted) {
      meter.finish({ status: 'cancelled', httpStatus: 499, attempts: (error as RoutingError).attempts ?? [] });
      return;
    }
    const e = error instanceof RoutingError ? error : new RoutingError(500, 'api_error', `internal error: ${(error as Error).message}`);
    meter.finish({ status: 'error', httpStatus: e.status, attempts: e.attempts, errorMessage: e.message });
    sendOpenAIError(res, e.status, e.message, e.type, e.code);
  }
}
