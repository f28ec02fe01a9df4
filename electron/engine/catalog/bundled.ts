// The bundled price/context snapshot: the `@pydantic/genai-prices` package's data for the providers we
// map to, extracted at development time into price-snapshot.generated.ts (scripts/snapshot-prices.mjs)
// and read offline. Its date is the package release the snapshot came from.
import type { PriceDataProvider } from './price-data';
import { PRICE_SNAPSHOT_JSON, PRICE_SNAPSHOT_PACKAGE } from './price-snapshot.generated';

export const BUNDLED_SNAPSHOT = { source: PRICE_SNAPSHOT_PACKAGE, date: '2026-09-23' } as const;

let cached: PriceDataProvider[] | undefined;

/**
 * Every bundled provider, parsed once on first need (under 1 MB of heap; loading the package itself
 * would cost ~20 MB for its whole table).
 */
export function bundledProviders(): PriceDataProvider[] {
  return (cached ??= JSON.parse(PRICE_SNAPSHOT_JSON) as PriceDataProvider[]);
}
