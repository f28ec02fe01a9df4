// Composition root: builds every engine service from a data dir (and optional seed config), and
// starts the port when asked. `serve`, the Electron shell and the tests all start here. Everything
// with state (transport, catalog, health, ledger) is built here and passed down, so engines in one
// process (tests run many) never share any.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AppContract } from '../../shared/contract';
import type { App, AppOptions } from './app-types';
import { Budgets } from './budgets/budgets';
import { tokenBudgets } from './budgets/token-budgets';
import { Catalog } from './catalog/catalog';
import { loadRefreshedPrices } from './catalog/refresh';
import { clientAccessFor, type ClientAccess } from './gateway/client-access';
import { RequestLog } from './gateway/request-log';
import { startGateway, type Gateway } from './gateway/server';
import { openLedger } from './ledger/ledger';
import { Transport } from './providers/transport';
import { ensurePrivateDir } from './private-files';
import { RouterHealth } from './router/health';
import { RouteTable } from './router/resolve';
import type { RoutingParts } from './routed';
import { createBudgetsService } from './services/budgets-service';
import { createCatalogService } from './services/catalog-service';
import { createChangeFeed } from './services/change-feed';
import { createChatService } from './services/chat-service';
import { createConversationsService } from './services/conversations-service';
import { createKeysService } from './services/keys-service';
import { createModelsService } from './services/models-service';
import { createPortService } from './services/port-service';
import { createProvidersService } from './services/providers-service';
import { createRoutesService } from './services/routes-service';
import type { ServiceParts } from './services/service-parts';
import { createSettingsService } from './services/settings-service';
import { createSpendService } from './services/spend-service';
import { createTeamService } from './services/team-service';
import { createTokensService } from './services/tokens-service';
import { parseConfigText } from './settings/config-schema';
import { openSettings } from './settings/settings-store';
import { TokenLookup } from './settings/tokens';
import type { SettingsData } from './settings/types';
import type { TeamMode } from './team/team-mode';
import { createVault } from './vault/vault';

export type { App, AppOptions } from './app-types';

/** Reads and validates a config file; throws ConfigError (naming the field) before anything is written. */
export function loadConfigFile(path: string) {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read config file ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseConfigText(text, path);
}

export async function createApp(options: AppOptions): Promise<App> {
  const config = options.configFile ? loadConfigFile(options.configFile) : undefined;
  ensurePrivateDir(options.dataDir);
  const settings = openSettings(options.dataDir);
  if (config) settings.seed({ providers: config.providers, routes: config.routes, aliases: config.aliases, health: config.health });

  // The app keeps a pasted key for this session when no OS keychain is reachable (never on disk).
  const vault = createVault({
    env: options.env ?? process.env,
    sessionFallback: true,
    ...(options.keychain ? { keychain: options.keychain } : {}),
  });
  // Team mode: requests, tokens, members and budgets in the team database (team/team-mode.ts); a change
  // made by any instance arrives here and rebuilds what the port checks, at once.
  const ledgerUrl = options.ledger ?? config?.ledger;
  let team: TeamMode | undefined;
  // Set once the derived lookups below exist; a change cannot arrive before (no await in between).
  let teamChanged = () => {};
  if (ledgerUrl) {
    try {
      // Loaded only here: the PostgreSQL client costs tens of ms at start, and only team mode uses it.
      const { startTeamMode } = await import('./team/team-mode');
      team = await startTeamMode({
        url: ledgerUrl,
        dataDir: options.dataDir,
        instance: options.instance,
        onChange: () => teamChanged(),
      });
    } catch (error) {
      settings.close();
      throw error;
    }
  }
  const ledger = team?.ledger ?? openLedger(options.dataDir);
  const budgets = team
    ? new Budgets(ledger, [], Date.now, {
        memberOf: (client) => team.snapshot().memberOf(client),
        totals: team.holds,
        shared: team.holds,
      })
    : new Budgets(ledger);
  // Built here and handed down, never imported: each engine has its own (tests run several in one process).
  const catalog = new Catalog({ overrides: {}, refreshed: loadRefreshedPrices(options.dataDir) });
  const transport = new Transport({ imageFetch: options.imageFetch });

  // Derived lookups are rebuilt once per settings change, never per request.
  let currentTable!: RouteTable;
  let clients = new TokenLookup<ClientAccess>([]);
  let gateway: Gateway | undefined;
  // Breakers, cooldowns and sticky sessions outlive settings changes: one instance for the app's life.
  const health = new RouterHealth();
  const table = () => currentTable;
  const rebuild = (data: SettingsData) => {
    health.configure(data.health ?? {});
    currentTable = new RouteTable(data.providers, data.routes, data.aliases, health);
    const tokens = team ? team.tokens(data.tokens) : data.tokens;
    clients = new TokenLookup(tokens.map((t) => [t.hash, clientAccessFor(t)] as const));
    catalog.update({ overrides: data.priceOverrides });
    budgets.update([...data.budgets, ...tokenBudgets(tokens), ...(team?.snapshot().budgets ?? [])]);
    gateway?.applySettings(data.port);
    transport.setProxies(data.app?.proxy ?? null, data.app?.providerProxies ?? {});
  };
  rebuild(settings.read());
  const unsubscribe = settings.onChange(rebuild);
  const changes = createChangeFeed(settings, { onKeysChanged: (listener) => vault.onChange(listener) });
  // Another instance's (or the CLI's) change to tokens, members or budgets: the port's lookups now, the UI's lists too.
  teamChanged = () => {
    rebuild(settings.read());
    changes.notify(['tokens', 'budgets']);
  };

  // What every routed request needs, from the port or the app's chat.
  const routing: RoutingParts = { table, vault, ledger, catalog, transport, budgets };
  // What the app services read; each takes the parts it needs.
  const parts: ServiceParts = {
    table,
    settings,
    vault,
    ledger,
    catalog,
    transport,
    budgets,
    changes,
    dataDir: options.dataDir,
    env: options.env ?? process.env,
    priceListUrl: options.priceListUrl,
  };
  const services: AppContract = {
    models: createModelsService(parts),
    providers: createProvidersService(parts),
    routes: createRoutesService(parts),
    chat: createChatService(routing),
    spend: createSpendService(parts),
    budgets: createBudgetsService(parts),
    keys: createKeysService(parts),
    catalog: createCatalogService(parts),
    conversations: createConversationsService(parts),
    settings: createSettingsService(parts),
    tokens: createTokensService(parts, team?.tokenStore),
    team: createTeamService(team && { status: () => team.status(), members: () => team.members() }),
    port: createPortService({
      settings,
      port: () => gateway,
      portSwitch: { blockedBecause: () => portBlockedBecause(), setEnabled: (on) => setPortEnabled(on) },
    }),
  };

  const adminToken = randomBytes(24).toString('base64url');
  const requestLog = new RequestLog();
  const gatewayContext = {
    ...routing,
    // Token counting has its own limits upstream: its failures must not move the routes' health.
    countTokensHealth: new RouterHealth(),
    // Tokens created by another process (`switchboard token create` while serving) arrive through onChange.
    clientFor: (token: string) => clients.get(token),
    portSettings: () => settings.read().port,
    adminToken,
    services,
    rendererDir: options.rendererDir,
    limits: options.portLimits,
    // One log for the engine's life: it outlives the port being switched off and on, and `serve --log` follows it.
    requestLog,
  };
  // Where the port listens; reopening it uses the address it had, so tools' settings keep working.
  let address = options.port === undefined ? undefined : { host: options.host ?? '127.0.0.1', port: options.port };
  const portBlockedBecause = (): string | null => {
    if (!address) return 'this engine was started without a port';
    if (options.rendererDir) return 'the UI is served from this port (switchboard serve): stop serve to close it';
    return null;
  };
  let switching = Promise.resolve();
  const setPortEnabled = (on: boolean): Promise<void> =>
    (switching = switching.then(async () => {
      if (on && !gateway && address) {
        gateway = await startGateway(gatewayContext, address.host, address.port);
      } else if (!on && gateway) {
        const closing = gateway;
        gateway = undefined;
        await closing.close();
      }
    }));
  if (address) {
    try {
      gateway = await startGateway(gatewayContext, address.host, address.port);
      address = { host: address.host, port: gateway.port };
    } catch (error) {
      // The port could not open (in use, not allowed): release what was opened before reporting it.
      unsubscribe();
      budgets.close();
      settings.close();
      await (team ?? ledger).close();
      await transport.close();
      throw error;
    }
  }

  return {
    services,
    gateway: gateway && { url: gateway.url, host: gateway.host, port: gateway.port },
    ...(team ? { team: { database: team.database, instance: team.instance } } : {}),
    requestLog,
    adminToken,
    async close() {
      changes.close();
      unsubscribe();
      budgets.close();
      await gateway?.close();
      await (team ?? ledger).close();
      settings.close();
      await transport.close();
    },
  };
}
