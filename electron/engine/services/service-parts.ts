// What the app services are built from: the engine's parts, each built once by the composition root
// (app.ts) and handed to every service, which names the few it reads (a Pick of these).
import type { Budgets } from '../budgets/budgets';
import type { Catalog } from '../catalog/catalog';
import type { Ledger } from '../ledger/types';
import type { Transport } from '../providers/transport';
import type { RouteTable } from '../router/resolve';
import type { SettingsStore } from '../settings/types';
import type { AppVault } from '../vault/types';
import type { ChangeFeed } from './change-feed';

export interface ServiceParts {
  /** The current routing table (rebuilt when settings change). */
  table(): RouteTable;
  settings: SettingsStore;
  vault: AppVault;
  ledger: Ledger;
  catalog: Catalog;
  transport: Transport;
  budgets: Budgets;
  /** Live change events for the UI (settings.changes). */
  changes: ChangeFeed;
  /** Where settings.json, ledger.db and the refreshed prices live. */
  dataDir: string;
  /** Where `{ env }` keys are read (the engine's environment). */
  env: NodeJS.ProcessEnv;
  /** Where catalog refresh reads the public price list (tests point it at a loopback fake). */
  priceListUrl?: string;
}
