// Bars per hour or per day, stacked by a grouping (model, provider, client, route), drawn by uPlot.
// Stacking is done by drawing each layer's running total, largest first, so lower layers show through,
// each outlined in the surface colour so neighbours stay apart. Hovering a bar shows a tooltip with
// every layer's value; the legend below is plain HTML (readable by screen readers, themed by CSS).
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './chart.css';
import { layerColour } from './chart-palette';

export interface Stack {
  label: string;
  values: number[];
  /** The folded tail of small layers: drawn in a quiet grey. */
  other?: boolean;
}

export type Bucket = 'hour' | 'day';

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
const SECONDS: Record<Bucket, number> = { hour: 3600, day: 86_400 };
const HEIGHT = 240;

interface Props {
  /** Start of each bucket, seconds since the epoch, ascending. */
  x: number[];
  bucket: Bucket;
  stacks: Stack[];
  format(v: number): string;
  ariaLabel: string;
  theme: 'light' | 'dark';
}

/** What a bucket is called in the tooltip: "Nov 28" or "Nov 28, 14:00–15:00". */
export function bucketLabel(startSec: number, bucket: Bucket): string {
  const d = new Date(startSec * 1000);
  const day = d.toLocaleDateString([], { month: 'short', day: 'numeric' });
  if (bucket === 'day') return day;
  const hour = (t: Date) => t.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return `${day}, ${hour(d)}–${hour(new Date((startSec + 3600) * 1000))}`;
}

const colourOf = (stacks: Stack[], i: number, theme: 'light' | 'dark') => layerColour(i, theme, stacks[i]?.other === true);

/** A uPlot plugin: a tooltip with the hovered bucket's layers (non-zero ones) and their total. */
function tooltip(stacks: Stack[], x: number[], bucket: Bucket, format: (v: number) => string, theme: 'light' | 'dark'): uPlot.Plugin {
  let tip: HTMLDivElement;
  return {
    hooks: {
      init: (u) => {
        tip = document.createElement('div');
        tip.className = 'chart-tooltip';
        tip.setAttribute('role', 'tooltip');
        tip.hidden = true;
        u.over.append(tip);
      },
      setCursor: (u) => {
        const i = u.cursor.idx;
        const rows = i === null || i === undefined ? [] : stacks.map((s, k) => ({ s, k, v: s.values[i] ?? 0 })).filter((r) => r.v > 0);
        if (i === null || i === undefined || rows.length === 0) {
          tip.hidden = true;
          return;
        }
        tip.replaceChildren();
        const title = document.createElement('div');
        title.className = 'chart-tooltip-title';
        title.textContent = bucketLabel(x[i]!, bucket);
        tip.append(title);
        for (const r of rows) {
          const line = document.createElement('div');
          const swatch = document.createElement('span');
          swatch.className = 'legend-swatch';
          swatch.style.background = colourOf(stacks, r.k, theme);
          line.append(swatch, ` ${r.s.label} `);
          const value = document.createElement('strong');
          value.textContent = format(r.v);
          line.append(value);
          tip.append(line);
        }
        if (rows.length > 1) {
          const total = document.createElement('div');
          total.className = 'chart-tooltip-total';
          total.textContent = `Total ${format(rows.reduce((a, r) => a + r.v, 0))}`;
          tip.append(total);
        }
        tip.hidden = false;
        // Beside the bar, flipped to its left near the right edge, kept inside the plot.
        const left = u.valToPos(x[i]!, 'x');
        const width = tip.offsetWidth;
        const room = u.over.clientWidth;
        tip.style.left = `${Math.max(0, left + 12 + width > room ? left - 12 - width : left + 12)}px`;
        tip.style.top = '8px';
      },
    },
  };
}

export function StackedBarChart({ x, bucket, stacks, format, ariaLabel, theme }: Props) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    // Running totals: layer i is the sum of layers 0..i; drawn from the top layer down.
    const running: number[][] = [];
    stacks.forEach((s, i) => running.push(s.values.map((v, j) => v + (i > 0 ? running[i - 1]![j]! : 0))));
    const axis = { stroke: css('--text-3'), grid: { stroke: css('--border'), width: 1 }, ticks: { stroke: css('--border'), width: 1 } };
    const surface = css('--surface');
    const step = SECONDS[bucket];
    const bars = uPlot.paths.bars!({ size: [0.7, 56], align: 0 });
    const order = running.map((_, i) => i).reverse();
    const timeLabel = (t: number) => {
      const d = new Date(t * 1000);
      if (bucket === 'day') return d.toLocaleDateString([], { month: 'short', day: 'numeric' });
      // Hours: the time, with the date at midnight so a two-day chart says which day is which.
      return d.getHours() === 0
        ? d.toLocaleDateString([], { month: 'short', day: 'numeric' })
        : d.toLocaleTimeString([], { hour: 'numeric' });
    };
    const opts: uPlot.Options = {
      width: el.clientWidth || 600,
      height: HEIGHT,
      legend: { show: false },
      cursor: { y: false, points: { show: false }, drag: { x: false, y: false } },
      scales: {
        x: { time: true, range: (_u, min, max) => [min - step / 2, max + step / 2] },
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1] },
      },
      axes: [
        {
          ...axis,
          space: 64,
          incrs:
            bucket === 'hour' ? [3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400] : [86_400, 2 * 86_400, 7 * 86_400, 30 * 86_400],
          values: (_u, ticks) => ticks.map(timeLabel),
        },
        { ...axis, size: 86, values: (_u, ticks) => ticks.map((t) => format(t)) },
      ],
      series: [
        {},
        ...order.map((i) => ({
          label: stacks[i]!.label,
          stroke: surface,
          fill: colourOf(stacks, i, theme),
          width: 1,
          paths: bars,
          points: { show: false },
        })),
      ],
      plugins: [tooltip(stacks, x, bucket, format, theme)],
    };
    // An empty bucket draws nothing (a zero-height bar would still show its outline).
    const data = [x, ...order.map((i) => running[i]!.map((v) => (v > 0 ? v : null)))] as uPlot.AlignedData;
    const plot = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [x, bucket, stacks, format, theme]);
  return (
    <div>
      <div className="chart" ref={host} role="img" aria-label={ariaLabel} />
      <ul className="chart-legend" aria-label="Chart legend">
        {stacks.map((s, i) => (
          <li key={s.label}>
            <span className="legend-swatch" style={{ background: colourOf(stacks, i, theme) }} aria-hidden="true" />
            <span className="mono">{s.label}</span> <span className="muted">{format(s.values.reduce((a, b) => a + b, 0))}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
