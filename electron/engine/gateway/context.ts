// What the gateway's handlers need from the engine, passed in by the composition root.
import type { AppContract } from '../../../shared/contract';
import type { Ledger } from '../ledger/types';
import type { RouteTable } from '../router/resolve';
import type { Vault } from '../vault/types';

export interface GatewayContext {
  /** The current routing table (rebuilt when settings change). */
  table(): RouteTable;
  vault: Vault;
  ledger: Ledger;
  /** Client token -> client name, or undefined when the token is unknown. */
  clientFor(token: string): string | undefined;
  adminToken: string;
  services: AppContract;
  rendererDir?: string;
}
