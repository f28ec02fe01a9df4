// The catalog service: where the prices come from, a refresh of the public price list and providers'
// model lists, and the user's own price per model (it wins over every other source).
import type { CatalogService } from '../../../shared/contract';
import type { Price } from '../../../shared/types';
import { refreshPrices } from '../catalog/refresh';
import type { ServiceParts } from './service-parts';

export function createCatalogService(
  parts: Pick<ServiceParts, 'catalog' | 'settings' | 'vault' | 'transport' | 'dataDir' | 'priceListUrl'>,
): CatalogService {
  const { catalog, settings } = parts;
  const info = async () => {
    const { source, date, refreshedAt } = catalog.snapshot;
    return { source, date, refreshedAt, overrides: settings.read().priceOverrides };
  };
  return {
    info,
    async refresh() {
      const { providers } = settings.read();
      const { refreshed } = await refreshPrices({
        transport: parts.transport,
        dataDir: parts.dataDir,
        providers,
        keyFor: (p) => parts.vault.keysFor(p.id, p.keys)[0],
        priceListUrl: parts.priceListUrl,
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
