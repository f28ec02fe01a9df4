// Turns the screen's choices into spend.summary queries, and day groups into chart columns.
import type { SpendGroup } from '../../../shared/types';

export type RangeChoice = '7d' | '30d' | '90d' | 'all';
export const RANGES: Array<{ value: RangeChoice; label: string }> = [
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: '90d', label: 'Last 90 days' },
  { value: 'all', label: 'All time' },
];

/** Local midnight today and the first of this month, as ISO instants the engine accepts. */
export function calendarSince(now = new Date()): { today: string; month: string } {
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const month = new Date(now.getFullYear(), now.getMonth(), 1);
  return { today: today.toISOString(), month: month.toISOString() };
}

/**
 * Day groups (UTC `YYYY-MM-DD`, as the ledger groups them) to chart columns, with the days that had
 * no requests filled in as zero so the time axis does not skip them.
 */
export function dailySeries(groups: SpendGroup[], range: RangeChoice, now = Date.now()): { x: number[]; y: number[] } {
  const DAY = 86_400_000;
  const byDay = new Map(groups.map((g) => [g.key, g.costUsd]));
  const first = groups[0] ? Date.parse(`${groups[0].key}T00:00:00Z`) : now;
  const span = range === 'all' ? Math.max(1, Math.ceil((now - first) / DAY)) : Number(range.slice(0, -1));
  const end = Date.parse(`${new Date(now).toISOString().slice(0, 10)}T00:00:00Z`);
  const x: number[] = [];
  const y: number[] = [];
  for (let t = end - (span - 1) * DAY; t <= end; t += DAY) {
    x.push(t / 1000);
    y.push(byDay.get(new Date(t).toISOString().slice(0, 10)) ?? 0);
  }
  return { x, y };
}
