// POST /v1/messages/count_tokens: asked of Anthropic when the model routes there (exact and free),
// estimated locally with a BPE tokenizer for every other kind (which has no such endpoint).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeAnthropicRequest } from '../../providers/anthropic/anthropic-request';
import { estimateCanonicalTokens } from '../../canonical/estimate-tokens';
import { anthropicPassCall } from '../../providers/anthropic/anthropic';
import { upstreamFailure } from '../../providers/open-canonical';
import { sendAttempt } from '../../providers/transport';
import { runWithFailover } from '../../router/failover';
import { AttemptError, RoutingError } from '../../router/failures';
import { directPlan } from '../../router/resolve';
import { abortOnClose } from '../abort';
import type { GatewayContext } from '../context';
import { clientHeaders, validateMessages } from './messages';
import { sendJson } from '../relay';
import { sendAnthropicError } from './errors';

/** Rough but stable estimate: text, tool schemas and a few tokens per message and image. */
export function estimateInputTokens(body: Record<string, unknown>): number {
  return estimateCanonicalTokens(decodeAnthropicRequest(body));
}

export async function handleCountTokens(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
  const invalid = validateMessages(body, false);
  if (invalid) return sendAnthropicError(res, 400, invalid);
  const b = body as Record<string, unknown>;
  let resolution;
  try {
    resolution = ctx.table().resolve(b.model as string);
  } catch (error) {
    const e = error as RoutingError;
    return sendAnthropicError(res, e.status, e.message);
  }
  const first = resolution.targets[0]!;
  if (first.provider.kind !== 'anthropic') return sendJson(res, { input_tokens: estimateInputTokens(b) });
  const controller = abortOnClose(req, res);
  const { stream: _stream, max_tokens: _max, ...countBody } = b;
  try {
    // Only the first target, with the port's own count_tokens health (no route strategy applies).
    const plan = directPlan(first, ctx.countTokensHealth);
    const served = await runWithFailover(
      { plan, vault: ctx.vault, transport: ctx.transport, signal: controller.signal },
      async (attempt) => {
        const r = await sendAttempt(
          attempt,
          anthropicPassCall(countBody, attempt.target, attempt.key.secret, clientHeaders(req), '/v1/messages/count_tokens'),
        );
        const text = await r.body.text();
        if (r.status !== 200) throw upstreamFailure(r.status, text, undefined, attempt.key.secret);
        try {
          return { json: JSON.parse(text) as unknown };
        } catch {
          throw new AttemptError('malformed', 'upstream sent a body that is not JSON', 200);
        }
      },
    );
    sendJson(res, served.json);
  } catch (error) {
    if (controller.signal.aborted) return;
    const e = error instanceof RoutingError ? error : new RoutingError(500, 'api_error', (error as Error).message);
    sendAnthropicError(res, e.status, e.message);
  }
}
