// Most output tokens one request to a model can produce, for budget reservations when a request sets
// no limit of its own. The price list carries no output limits, so the main families' documented
// maxima are kept here; erring high only reserves more, erring low could let a burst overspend.
// Claude is left out on purpose: its limits moved with every release, and Anthropic requests name
// max_tokens anyway.

/** By model-id prefix (the first match wins, so longer prefixes come first). */
const LIMITS: ReadonlyArray<readonly [prefix: string, maxOutput: number]> = [
  ['gpt-4o', 16_384],
  ['chatgpt-4o', 16_384],
  ['gpt-4.1', 32_768],
  ['gpt-5', 128_000],
  ['o1-mini', 65_536],
  ['o1', 100_000],
  ['o3', 100_000],
  ['o4-mini', 100_000],
  ['gemini-2.0-flash', 8_192],
  ['gemini-2.5', 65_536],
];

/**
 * Used when neither the request nor this table knows a limit: above every current model's maximum
 * (128k at most), so an unknown model is never under-reserved. A known context window caps it.
 */
export const UNKNOWN_MAX_OUTPUT = 131_072;

/** The documented output limit of a model (ids as providers and OpenRouter name them), if known. */
export function maxOutputOf(model: string): number | undefined {
  // OpenRouter-style `vendor/model` ids carry the vendor first.
  const id = model.slice(model.lastIndexOf('/') + 1).toLowerCase();
  for (const [prefix, limit] of LIMITS) if (id.startsWith(prefix)) return limit;
  return undefined;
}
