// One rounding and display rule for money, durations and budget percentages, used by every surface
// (CLI table, --json, CSV, the UI and budget messages), so no two of them disagree about a number.

/** Money in machine output (JSON, CSV) carries this many decimals: a millionth of a dollar. */
export const USD_DECIMALS = 6;
const USD_SCALE = 10 ** USD_DECIMALS;

/**
 * USD rounded to 6 decimals, for JSON and CSV. The product is first cut to 12 significant digits so
 * binary noise (0.00014000000000000001, 14.4999999… micro-dollars) cannot tip the rounding.
 */
export function roundUsd(usd: number): number {
  if (!Number.isFinite(usd)) return usd;
  const micro = Math.round(Number((usd * USD_SCALE).toPrecision(12)));
  return micro === 0 ? 0 : micro / USD_SCALE;
}

/** roundUsd that keeps an unknown cost unknown. */
export const roundUsdOrNull = (usd: number | null | undefined): number | null => (usd === null || usd === undefined ? null : roundUsd(usd));

/** Durations in machine output are whole milliseconds. */
export const roundMs = (ms: number): number => Math.round(ms);

/** roundMs that keeps a missing duration missing. */
export const roundMsOrNull = (ms: number | null | undefined): number | null => (ms === null || ms === undefined ? null : roundMs(ms));

/** Money for people carries this many decimals under a dollar: a hundredth of a cent. */
const PEOPLE_DECIMALS = 4;
const PEOPLE_SCALE = 10 ** PEOPLE_DECIMALS;

/**
 * USD for people: four decimals under a dollar (`$0.0050`: a small model's request costs well under a
 * cent and must not read as $0.00), `<$0.0001` for a cost too small to show rather than a false $0.0000,
 * cents from a dollar up (`$12,345.68`), `$0.00` for nothing; an unknown cost says so, never $0.
 */
export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return 'unknown';
  if (usd === 0) return '$0.00';
  const sign = usd < 0 ? '-' : '';
  // Through roundUsd first, so the text rounds the same number the JSON and CSV carry.
  const abs = Math.abs(roundUsd(usd));
  const small = Math.round(Number((abs * PEOPLE_SCALE).toPrecision(12))) / PEOPLE_SCALE;
  if (small === 0) return `${sign}<$${(1 / PEOPLE_SCALE).toFixed(PEOPLE_DECIMALS)}`;
  if (small < 1) return `${sign}$${small.toFixed(PEOPLE_DECIMALS)}`;
  return `${sign}$${abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** What a spend total with unknown parts shows: the known part and a "+ ?" (all unknown: "unknown"). */
export function formatSpend(t: { knownCostUsd: number; unknownCostRequests: number; requests: number }): string {
  if (t.requests > 0 && t.unknownCostRequests === t.requests) return 'unknown';
  return t.unknownCostRequests > 0 ? `${formatUsd(t.knownCostUsd)} + ?` : formatUsd(t.knownCostUsd);
}

/** Durations for people: whole ms under a second, then seconds with two decimals. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${roundMs(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/**
 * Percent of a limit used, rounded down and not capped: 100 is shown exactly when the limit is reached
 * (the moment a budget is "over"), and $0.005 of $0.004 reads 125%, as the budget's own message says.
 */
export function percentUsed(used: number, limit: number): number {
  if (!(limit > 0)) return 0;
  return Math.floor(Number(((used / limit) * 100).toPrecision(12)));
}
