// Money, token counts and durations are formatted here once, so every screen that shows them agrees.

/** Small amounts keep six decimals (`$0.000123`); an unknown price is said, never shown as $0. */
export function formatCost(costUsd: number | null): string {
  if (costUsd === null || !Number.isFinite(costUsd)) return 'cost unknown';
  if (costUsd === 0) return '$0';
  if (costUsd < 0.000001) return '<$0.000001';
  return costUsd < 0.01 ? `$${costUsd.toFixed(6)}` : `$${costUsd.toFixed(4)}`;
}

/** Totals read better with cents once they are large. */
export function formatTotal(costUsd: number): string {
  return costUsd >= 1 ? `$${costUsd.toFixed(2)}` : formatCost(costUsd);
}

export function formatTokens(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function formatRate(perSecond: number): string {
  return `${perSecond >= 100 ? Math.round(perSecond) : perSecond.toFixed(1)} tok/s`;
}
