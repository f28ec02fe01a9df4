// Money, token counts and durations are formatted here once, so every screen that shows them agrees;
// money and durations follow the engine's own rule (shared/format.ts), so the CLI and CSV agree too.
import { formatMs as sharedFormatMs, formatSpend, formatUsd } from '../../shared/format';

/** Six decimals under a dollar (`$0.000123`), cents above; an unknown price is said, never shown as $0. */
export function formatCost(costUsd: number | null): string {
  return costUsd === null || !Number.isFinite(costUsd) ? 'cost unknown' : formatUsd(costUsd);
}

/** A total, by the same rule as single costs (one rule, so a tile and its rows read alike). */
export function formatTotal(costUsd: number): string {
  return formatUsd(costUsd);
}

/** A total with unknown parts: the known part and "+ ?", or "unknown" when nothing in it is priced. */
export const formatSpendTotal = formatSpend;

export function formatTokens(n: number): string {
  return n.toLocaleString('en-US');
}

export const formatMs = sharedFormatMs;

export function formatRate(perSecond: number): string {
  return `${perSecond >= 100 ? Math.round(perSecond) : perSecond.toFixed(1)} tok/s`;
}
