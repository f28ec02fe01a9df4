// What the gateway's handlers need from the engine, passed in by the composition root.
import type { AppContract } from '../../../shared/contract';
import type { Budgets } from '../budgets/budgets';
import type { Ledger } from '../ledger/types';
import type { RouteTable } from '../router/resolve';
import type { Vault } from '../vault/types';

export interface GatewayContext {
  /** The current routing table (rebuilt when settings change). */
  table(): RouteTable;
  vault: Vault;
  ledger: Ledger;
  /** Budgets checked before each request is sent (see budgets/index.ts budgetPreflight). */
  budgets?: Budgets;
  /** Client token -> client name, or undefined when the token is unknown. */
  clientFor(token: string): string | undefined;
  adminToken: string;
  services: AppContract;
  rendererDir?: string;
}
