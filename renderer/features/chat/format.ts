// Turns a finished reply's report into the short meta line shown under it. Money and token counts
// are formatted here once, so every place that shows them agrees.
import type { ReplyReport } from './chat-types';

/** Small amounts keep six decimals (`$0.000123`); an unknown price is said, never shown as $0. */
export function formatCost(costUsd: number | null): string {
  if (costUsd === null || !Number.isFinite(costUsd)) return 'cost unknown';
  if (costUsd === 0) return '$0';
  if (costUsd < 0.000001) return '<$0.000001';
  return costUsd < 0.01 ? `$${costUsd.toFixed(6)}` : `$${costUsd.toFixed(4)}`;
}

export function formatTokens(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** The parts of the meta line, in display order. */
export function metaParts(report: ReplyReport): string[] {
  const parts = [
    `${report.provider}/${report.model}`,
    `${formatTokens(report.usage.inputTokens)} in / ${formatTokens(report.usage.outputTokens)} out tokens`,
    formatCost(report.costUsd),
  ];
  if (report.ttftMs !== null) parts.push(`first token ${formatMs(report.ttftMs)}`);
  if (report.attempts > 1) parts.push(`after ${report.attempts} attempts`);
  return parts;
}
