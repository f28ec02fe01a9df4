// Turns a finished reply's report into the short meta line shown under it.
import { formatCost, formatMs, formatTokens } from '../../lib/format';
import type { ReplyReport } from './chat-types';

export { formatCost } from '../../lib/format';

/** The parts of the meta line, in display order. */
export function metaParts(report: ReplyReport): string[] {
  const parts = [
    // A reply stopped before any target answered names none.
    report.provider ? `${report.provider}/${report.model}` : 'stopped before an answer',
    `${formatTokens(report.usage.inputTokens)} in / ${formatTokens(report.usage.outputTokens)} out tokens`,
    formatCost(report.costUsd),
  ];
  if (report.ttftMs !== null) parts.push(`first token ${formatMs(report.ttftMs)}`);
  if (report.attempts > 1) parts.push(`after ${report.attempts} attempts`);
  return parts;
}
