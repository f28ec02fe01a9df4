// The start and the failure path every routed request on the port shares, whatever its dialect: the
// engine's common start (routed.ts: resolve, meter, budgets), plus what only the port does: tag the
// response with its request id, abort the upstream when the client leaves, and answer in the dialect.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestMeter } from '../accounting';
import type { Cancel, CancelSignal } from '../cancel';
import type { RoutingExtensions } from '../router/extensions';
import type { FailoverInput } from '../router/failover';
import { RoutingError } from '../router/failures';
import type { Resolution } from '../router/resolve';
import { startRouted } from '../routed';
import { abortOnClose } from './abort';
import type { GatewayContext } from './context';
import { withFields } from '../with-fields';

/** A routed endpoint's handler: the request, its JSON body (read and limited by the server) and the client's name. */
export type BodyHandler = (ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, body: unknown, client: string) => Promise<void>;

export interface RoutedRequest {
  resolution: Resolution;
  meter: RequestMeter;
  controller: Cancel;
  /** What every dialect passes the router; add the body (or canonical request) to it. */
  failover: FailoverInput;
}

/** Answers a routing error on `res` in one dialect's shape. */
export type SendRoutingError = (res: ServerResponse, error: RoutingError) => void;

export interface RoutedStart {
  model: string;
  /** The client's body, for budget estimates and sticky routing. */
  body: Record<string, unknown>;
  client: string;
  stream: boolean;
  ext?: RoutingExtensions | null;
  /** Answers a routing error in the dialect's own shape (a module function: no closure per request). */
  sendError: SendRoutingError;
}

export function beginRouted(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, start: RoutedStart): RoutedRequest | undefined {
  const controller = abortOnClose(req, res);
  const url = req.url ?? '';
  const q = url.indexOf('?');
  let routed;
  try {
    routed = startRouted(ctx, {
      source: 'port',
      client: start.client,
      model: start.model,
      body: start.body,
      stream: start.stream,
      signal: controller.signal,
      stickyOwner: start.client,
      ext: start.ext,
      path: q === -1 ? url : url.slice(0, q),
      // Soft budgets let the request through; the tool (and whoever reads its logs) is told in a header.
      // No closure per request unless budgets are set (the usual case has none).
      onSoft: ctx.budgets?.active
        ? (warnings) => {
            if (!res.headersSent) res.setHeader(BUDGET_WARNING_HEADER, headerSafe(warnings.join('; ')));
          }
        : undefined,
    });
  } catch (error) {
    start.sendError(res, asRoutingError(error));
    return undefined;
  }
  res.setHeader('x-request-id', routed.meter.id);
  return withFields(routed, { controller });
}

/** Set on a port response when the request reached a soft budget: the budgets' own messages. */
export const BUDGET_WARNING_HEADER = 'x-switchboard-budget-warning';

/** Header values are Latin-1 without control characters: anything else (a budget or client name) becomes `?`. */
const headerSafe = (text: string): string => text.replace(/[^\x20-\x7e]/g, '?').slice(0, 1000);

/** Set on a port response when tools the client sent were dropped (hosted tools no target runs): their types. */
export const DROPPED_TOOLS_HEADER = 'x-switchboard-dropped-tools';

/** Names dropped tools in the response header (the request log names them through the meter's notes). */
export function headerDroppedTools(res: ServerResponse, types: readonly string[]): void {
  if (types.length && !res.headersSent) res.setHeader(DROPPED_TOOLS_HEADER, headerSafe([...new Set(types)].join(', ')));
}

export const asRoutingError = (error: unknown): RoutingError =>
  error instanceof RoutingError ? error : new RoutingError(500, 'api_error', `internal error: ${(error as Error).message}`);

/**
 * Records a request that failed before its answer started (or was cancelled) and answers the client
 * in its dialect, with Retry-After when a cooldown is why.
 */
export function failRouted(res: ServerResponse, meter: RequestMeter, error: unknown, signal: CancelSignal, send: SendRoutingError): void {
  if (signal.aborted || res.destroyed) {
    meter.finish({ status: 'cancelled', httpStatus: 499, attempts: (error as RoutingError).attempts ?? [] });
    return;
  }
  const e = asRoutingError(error);
  if (e.retryAfterSec !== undefined && !res.headersSent) res.setHeader('retry-after', String(e.retryAfterSec));
  meter.finish({ status: 'error', httpStatus: e.status, attempts: e.attempts, errorMessage: e.message });
  send(res, e);
}
