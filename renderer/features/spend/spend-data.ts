// Turns the screen's choices into spend.summary queries, and day groups into chart columns.
import type { SpendGroup, SpendSeries } from '../../../shared/types';
import type { Stack } from '../../ui/StackedBarChart';

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
  // Bars show the known part; unknown costs are named beside the chart, never drawn as $0.
  const byDay = new Map(groups.map((g) => [g.key, g.knownCostUsd]));
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

/** Layers beyond this many are summed into "Other", so the chart stays readable. */
const MAX_LAYERS = 7;

/**
 * A spend series split by a grouping to stacked chart layers over the range's days (missing days
 * are zero), biggest layer first, the tail folded into "Other".
 */
export function stackedSeries(series: SpendSeries, range: RangeChoice, now = Date.now()): { x: number[]; stacks: Stack[] } {
  const DAY = 86_400_000;
  const days = [...new Set(series.points.map((p) => p.day))].sort();
  const first = days[0] ? Date.parse(`${days[0]}T00:00:00Z`) : now;
  const span = range === 'all' ? Math.max(1, Math.ceil((now - first) / DAY)) : Number(range.slice(0, -1));
  const end = Date.parse(`${new Date(now).toISOString().slice(0, 10)}T00:00:00Z`);
  const x: number[] = [];
  const index = new Map<string, number>();
  for (let t = end - (span - 1) * DAY, i = 0; t <= end; t += DAY, i++) {
    x.push(t / 1000);
    index.set(new Date(t).toISOString().slice(0, 10), i);
  }
  const layers = new Map<string, number[]>();
  for (const p of series.points) {
    const i = index.get(p.day);
    if (i === undefined) continue;
    const values = layers.get(p.key) ?? new Array<number>(x.length).fill(0);
    values[i]! += p.knownCostUsd;
    layers.set(p.key, values);
  }
  const total = (v: number[]) => v.reduce((a, b) => a + b, 0);
  const sorted = [...layers].map(([label, values]) => ({ label, values })).sort((a, b) => total(b.values) - total(a.values));
  if (sorted.length <= MAX_LAYERS) return { x, stacks: sorted };
  const other = sorted.slice(MAX_LAYERS - 1).reduce((acc, s) => acc.map((v, i) => v + s.values[i]!), new Array<number>(x.length).fill(0));
  return { x, stacks: [...sorted.slice(0, MAX_LAYERS - 1), { label: 'Other', values: other }] };
}

/** Layers (by label) with requests of unknown cost in the range: their bars show only the known part. */
export function unknownLayers(series: SpendSeries): string[] {
  return [...new Set(series.points.filter((p) => p.unknownCostRequests > 0).map((p) => p.key || 'total'))].sort();
}
