// Services over the engine's state: spend (summary, series, CSV), budgets, key tests, the price
// catalog, conversations, and settings import/export. Nothing returned here holds a key.
import type {
  BudgetsService,
  CatalogService,
  ConversationsService,
  KeysService,
  SettingsService,
  SpendService,
} from '../../../shared/contract';
import type { BudgetSpec, Price } from '../../../shared/types';
import type { Budgets } from '../budgets/budgets';
import type { Catalog } from '../catalog/catalog';
import { refreshPrices } from '../catalog/refresh';
import type { Ledger } from '../ledger/types';
import type { Transport } from '../providers/transport';
import type { RouteTable } from '../router/resolve';
import { CHAT_DEFAULTS } from '../settings/chat-defaults';
import { exportConfig, importConfig } from '../settings/portable';
import type { SettingsStore } from '../settings/types';
import { testKey } from '../vault/key-test';
import type { Vault } from '../vault/types';
import { DEFAULT_LABEL } from '../vault/vault';

/** Above this many rows the UI should page; the CLI streams instead (`switchboard spend --csv`). */
const CSV_ROW_LIMIT = 200_000;

export function createSpendService(ledger: Ledger): SpendService {
  return {
    summary: async (query) => ledger.spend(query ?? {}),
    series: async (query) => ledger.series(query ?? {}),
    requests: async (query) => ledger.requests(query ?? {}),
    async exportCsv(query) {
      const lines: string[] = [];
      for (const line of await ledger.csv(query ?? {})) {
        if (lines.length > CSV_ROW_LIMIT)
          throw new Error(`more than ${CSV_ROW_LIMIT} requests in this range: narrow it, or use \`switchboard spend --csv\``);
        lines.push(line);
      }
      return `${lines.join('\r\n')}\r\n`;
    },
  };
}

export function createBudgetsService(settings: SettingsStore, budgets: Budgets): BudgetsService {
  return {
    list: async () => settings.read().budgets,
    async set(list: BudgetSpec[]) {
      settings.setBudgets(list);
    },
    status: async () => budgets.status(),
    warnings: async () => budgets.warnings(),
  };
}

export function createKeysService(table: () => RouteTable, vault: Vault, transport: Transport): Pick<KeysService, 'test'> {
  return {
    async test(providerId: string, label?: string) {
      const provider = table()
        .providerList()
        .find((p) => p.id === providerId);
      if (!provider) throw new Error(`no provider "${providerId}"`);
      const keys = vault.keysFor(provider.id, provider.keys);
      const wanted = label ?? keys[0]?.label ?? vault.describe(provider.id, provider.keys)[0]?.label ?? DEFAULT_LABEL;
      return testKey(
        transport,
        provider,
        keys.find((k) => k.label === wanted),
        wanted,
      );
    },
  };
}

export function createCatalogService(
  catalog: Catalog,
  settings: SettingsStore,
  refresh: { dataDir: string; vault: Vault; transport: Transport; priceListUrl?: string },
): CatalogService {
  const info = async () => {
    const { source, date, refreshedAt } = catalog.snapshot;
    return { source, date, refreshedAt, overrides: settings.read().priceOverrides };
  };
  return {
    info,
    async refresh() {
      const { providers } = settings.read();
      const { refreshed } = await refreshPrices({
        transport: refresh.transport,
        dataDir: refresh.dataDir,
        providers,
        keyFor: (p) => refresh.vault.keysFor(p.id, p.keys)[0],
        priceListUrl: refresh.priceListUrl,
      });
      catalog.update({ refreshed });
      return info();
    },
    async setOverride(model: string, price: Price | null) {
      const overrides = { ...settings.read().priceOverrides };
      if (price === null) delete overrides[model];
      else overrides[model] = price;
      settings.setPriceOverrides(overrides); // validated there; the catalog follows through onChange
      return info();
    },
  };
}

export function createConversationsService(ledger: Ledger): ConversationsService {
  return {
    list: async () => ledger.conversations.list(),
    get: async (id: string) => (await ledger.conversations.get(id)) ?? null,
    remove: async (id: string) => ledger.conversations.remove(id),
    rename: async (id: string, title: string) => ledger.conversations.rename(id, title),
    truncate: async (id: string, keep: number) => ledger.conversations.truncate(id, keep),
    search: async (query: string) => ledger.conversations.search(query),
    put: async (conversation) => ledger.conversations.put(conversation),
    setOptions: async (id: string, options) => ledger.conversations.setOptions(id, options),
  };
}

export function createSettingsService(settings: SettingsStore): Pick<SettingsService, 'exportConfig' | 'importConfig'> {
  return {
    exportConfig: async () => exportConfig(settings),
    async importConfig(text: string) {
      importConfig(settings, text);
    },
  };
}

export function createChatDefaultsService(settings: SettingsStore): Pick<SettingsService, 'chatDefaults' | 'setChatDefaults'> {
  return {
    chatDefaults: async () => settings.read().chat ?? { ...CHAT_DEFAULTS },
    setChatDefaults: async (patch) => settings.setChat(patch),
  };
}
