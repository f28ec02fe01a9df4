// The start every routed request shares, from the port (gateway/routed-request.ts) or the app's chat
// (services/chat-service.ts): resolve the model, open the ledger meter, and build the failover input
// with the budget check that runs before anything is sent. One place, so no entry point can forget a
// step (budgets were once missing from two dialects).
import { RequestMeter } from './accounting';
import type { CancelSignal } from './cancel';
import { budgetPreflight } from './budgets';
import type { Budgets } from './budgets/budgets';
import type { Catalog } from './catalog/catalog';
import type { Ledger, RequestSource } from './ledger/types';
import type { Transport } from './providers/transport';
import type { RoutingExtensions } from './router/extensions';
import type { FailoverInput } from './router/failover';
import type { Resolution, RouteTable } from './router/resolve';
import type { Vault } from './vault/types';

/** What routing a request needs from the engine; the composition root (app.ts) builds each once. */
export interface RoutingParts {
  /** The current routing table (rebuilt when settings change). */
  table(): RouteTable;
  vault: Vault;
  ledger: Ledger;
  /** Prices and windows, for the meter's cost and the budgets' worst case. */
  catalog: Catalog;
  transport: Transport;
  /** Budgets checked before each request is sent (see budgets/index.ts budgetPreflight). */
  budgets?: Budgets;
}

export interface RoutedStart {
  source: RequestSource;
  /** Spend and budgets are attributed to this client (a token's name, or the app's own). */
  client: string;
  model: string;
  /** The request body (any dialect), for budget estimates, sticky routing and input estimates. */
  body: Record<string, unknown>;
  stream: boolean;
  signal: CancelSignal;
  /** Whose conversations stick to one target: with the route (or model) it makes the sticky scope. */
  stickyOwner: string;
  ext?: RoutingExtensions | null;
  /** The port path it came in on (the request log shows it; embeddings reserve no output). */
  path?: string;
  /** Told when the request passes a soft budget, with the budgets' messages. */
  onSoft?: (warnings: string[]) => void;
}

export interface Routed {
  resolution: Resolution;
  meter: RequestMeter;
  /** What the router takes; add the body (or canonical request) to it. */
  failover: FailoverInput;
}

/** Embedding endpoints: a request there produces no output tokens, so its worst case is its input. */
const EMBEDDING_PATH = /\/(embeddings|embed)$/;

/** Resolves and meters one request; throws the RoutingError when the model names nothing routable. */
export function startRouted(parts: RoutingParts, start: RoutedStart): Routed {
  const resolution = parts.table().resolve(start.model, start.ext);
  const meter = new RequestMeter(parts.ledger, parts.catalog, start.source, start.client, resolution.route);
  if (start.path !== undefined) meter.path = start.path;
  meter.requestedModel = start.model;
  meter.body = start.body;
  const failover: FailoverInput = {
    plan: resolution.plan,
    vault: parts.vault,
    transport: parts.transport,
    signal: start.signal,
    body: start.body,
    stream: start.stream,
    scope: `${start.stickyOwner}\0${resolution.route ?? start.model}`,
    onAttempt: meter.attempted,
    // No closure per request unless budgets are set (the usual case has none).
    preflight: parts.budgets?.active
      ? budgetPreflight({
          budgets: parts.budgets,
          catalog: parts.catalog,
          // The meter holds the request's worst case and gives it back when it records the row.
          meter,
          client: start.client,
          body: start.body,
          targets: resolution.targets,
          deadlineMs: resolution.plan.timeouts.totalMs,
          outputless: EMBEDDING_PATH.test(start.path ?? ''),
          onSoft: start.onSoft,
        })
      : undefined,
  };
  return { resolution, meter, failover };
}
