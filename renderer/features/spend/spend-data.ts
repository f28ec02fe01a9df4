// Turns the screen's choices into spend queries, and series points into chart columns: the chart
// spans the range's spend (not empty weeks before it) in hours when that is two days or less, else in
// days, so a month with spend only today is a readable day of hourly bars, not one sliver at the edge.
// Days and hours are UTC, as the ledger keeps them.
import type { SpendSeries } from '../../../shared/types';
import type { Bucket, Stack } from '../../ui/StackedBarChart';

export type RangeChoice = '24h' | '7d' | '30d' | '90d' | 'all';
export const RANGES: Array<{ value: RangeChoice; label: string }> = [
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: '90d', label: 'Last 90 days' },
  { value: 'all', label: 'All time' },
];

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Spend that spans at most this long is charted per hour. */
const HOURLY_SPAN = 2 * DAY;
/** An hourly chart shows at least a day, a daily one at least a week: one busy hour or day is never a lone bar. */
const MIN_HOURS = 24;
const MIN_DAYS = 7;

/** Local midnight today and the first of this month, as ISO instants the engine accepts. */
export function calendarSince(now = new Date()): { today: string; month: string } {
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const month = new Date(now.getFullYear(), now.getMonth(), 1);
  return { today: today.toISOString(), month: month.toISOString() };
}

/** The range's start in epoch ms (-Infinity for all time). */
export function rangeStart(range: RangeChoice, now = Date.now()): number {
  if (range === 'all') return -Infinity;
  return range === '24h' ? now - DAY : now - Number(range.slice(0, -1)) * DAY;
}

export interface ChartPlan {
  bucket: Bucket;
  /** Start of the first bucket, epoch ms (UTC). */
  from: number;
}

/** Which bucket the chart uses and where it starts, from the days with spend in a daily series; null when there is none. */
export function chartPlan(daily: SpendSeries, range: RangeChoice, now = Date.now()): ChartPlan | null {
  const days = daily.points
    .filter((p) => p.requests > 0)
    .map((p) => p.day)
    .sort();
  if (days.length === 0) return null;
  const first = Math.max(rangeStart(range, now), Date.parse(`${days[0]}T00:00:00Z`));
  if (now - first <= HOURLY_SPAN)
    return { bucket: 'hour', from: Math.min(Math.floor(first / HOUR) * HOUR, Math.floor(now / HOUR) * HOUR - (MIN_HOURS - 1) * HOUR) };
  const today = Math.floor(now / DAY) * DAY;
  return { bucket: 'day', from: Math.min(Math.floor(first / DAY) * DAY, today - (MIN_DAYS - 1) * DAY) };
}

/** A series point's bucket key for a bucket start: `YYYY-MM-DD` or `YYYY-MM-DDTHH` (UTC), as the ledger keys them. */
const keyOf = (ms: number, bucket: Bucket) => new Date(ms).toISOString().slice(0, bucket === 'hour' ? 13 : 10);

/** Layers beyond this many are summed into "Other", so the chart stays readable. */
const MAX_LAYERS = 7;

/**
 * A spend series split by a grouping to stacked chart layers over the plan's buckets up to now
 * (missing buckets are zero), biggest layer first, the tail folded into "Other".
 */
export function stackedSeries(series: SpendSeries, plan: ChartPlan, now = Date.now()): { x: number[]; stacks: Stack[] } {
  const step = plan.bucket === 'hour' ? HOUR : DAY;
  const end = Math.floor(now / step) * step;
  const x: number[] = [];
  const index = new Map<string, number>();
  for (let t = plan.from, i = 0; t <= end; t += step, i++) {
    x.push(t / 1000);
    index.set(keyOf(t, plan.bucket), i);
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
  const sorted: Stack[] = [...layers].map(([label, values]) => ({ label, values })).sort((a, b) => total(b.values) - total(a.values));
  if (sorted.length <= MAX_LAYERS) return { x, stacks: sorted };
  const other = sorted.slice(MAX_LAYERS - 1).reduce((acc, s) => acc.map((v, i) => v + s.values[i]!), new Array<number>(x.length).fill(0));
  return { x, stacks: [...sorted.slice(0, MAX_LAYERS - 1), { label: 'Other', values: other, other: true }] };
}

/** Layers (by label) with requests of unknown cost in the range: their bars show only the known part. */
export function unknownLayers(series: SpendSeries): string[] {
  return [...new Set(series.points.filter((p) => p.unknownCostRequests > 0).map((p) => p.key || 'total'))].sort();
}
