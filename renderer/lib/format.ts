// Money, token counts and durations are formatted here once, so every screen that shows them agrees;
// money and durations follow the engine's own rule (shared/format.ts), so the CLI and CSV agree too.
import { formatMs as sharedFormatMs, formatSpend, formatUsd } from '../../shared/format';

/** Four decimals under a dollar (`$0.0050`, `<$0.0001`), cents above; an unknown price is said, never shown as $0. */
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

/** "1 message", "2 messages", "0 messages". */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/**
 * A configured duration (a timeout) for people, in its natural unit: `900 ms`, `8 s`, `1.5 s`, `3 min`,
 * `2 min 30 s`, `1 h`. Number and unit are joined by a no-break space, so they never wrap apart.
 */
export function formatDuration(ms: number): string {
  const nb = '\u00a0';
  if (ms < 1000) return `${Math.round(ms)}${nb}ms`;
  const s = ms / 1000;
  if (s < 60) return `${Number(s.toFixed(1))}${nb}s`;
  const min = Math.floor(s / 60);
  const sec = Math.round(s - min * 60);
  if (min < 60) return sec ? `${min}${nb}min ${sec}${nb}s` : `${min}${nb}min`;
  const h = Math.floor(min / 60);
  return min % 60 ? `${h}${nb}h ${min % 60}${nb}min` : `${h}${nb}h`;
}

/** Text cut to about `max` characters at a word boundary, with an ellipsis when cut (never mid-word). */
export function excerpt(text: string, max: number): string {
  const t = text.trim().replace(/\s+/g, ' ');
  if (t.length <= max) return t;
  const cut = t.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : t.slice(0, max)).replace(/[\s,.;:]+$/, '')}…`;
}
