// The columns of the spend rollups (`spend_daily`, `spend_monthly`; schema.ts declares them): one list for
// the writer that adds to them and the queries that read them, so a sum added to one is added to both.

/** What a rollup row is grouped by, after its period. */
export const ROLLUP_KEY = ['source', 'client', 'route', 'provider', 'model'] as const;

/** What a rollup row sums; spend queries read the same names from requests rows they aggregate. */
export const ROLLUP_SUMS = [
  'requests',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_usd',
  'unknown_cost',
  'estimated',
] as const;
