// The bundled price/context snapshot: the `@pydantic/genai-prices` package's data, shipped with the app
// and read offline. Its date is the package release the snapshot came from.
import { createRequire } from 'node:module';
import type { PriceDataProvider } from './price-data';

export const BUNDLED_SNAPSHOT = { source: '@pydantic/genai-prices@0.1.8', date: '2026-09-23' } as const;

const IDS = ['openai', 'anthropic', 'google', 'azure', 'openrouter', 'groq', 'deepseek', 'mistral', 'x-ai', 'together', 'fireworks', 'cohere', 'perplexity', 'aws', 'cerebras', 'novita', 'huggingface_cerebras'];

let cached: PriceDataProvider[] | undefined;

/** Every bundled provider we map to, read once, on first need (the package costs ~18 MB loaded). */
export function bundledProviders(): PriceDataProvider[] {
  if (cached) return cached;
  const { findProvider } = createRequire(import.meta.url)('@pydantic/genai-prices') as typeof import('@pydantic/genai-prices');
  cached = IDS.map((providerId) => findProvider({ providerId }) as unknown as PriceDataProvider | undefined).filter((p): p is PriceDataProvider => p !== undefined && p !== null);
  return cached;
}
