// Daily bars stacked by a grouping (model, provider, client, route), drawn by uPlot. Stacking is
// done by drawing each layer's running total, largest first, so lower layers show through; the
// legend below is plain HTML (readable by screen readers, themed by CSS).
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Stack {
  label: string;
  values: number[];
}

/** Distinct hues that keep contrast on both themes' surfaces. */
export const STACK_COLOURS = ['#4f46e5', '#0891b2', '#d97706', '#16a34a', '#db2777', '#7c3aed', '#64748b', '#ea580c'];

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

interface Props {
  /** Seconds since the epoch, ascending. */
  x: number[];
  stacks: Stack[];
  format(v: number): string;
  ariaLabel: string;
  theme: string;
}

export function StackedBarChart({ x, stacks, format, ariaLabel, theme }: Props) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    // Running totals: layer i is the sum of layers 0..i; drawn from the top layer down.
    const running: number[][] = [];
    stacks.forEach((s, i) => running.push(s.values.map((v, j) => v + (i > 0 ? running[i - 1]![j]! : 0))));
    const axis = { stroke: css('--text-3'), grid: { stroke: css('--border'), width: 1 }, ticks: { stroke: css('--border'), width: 1 } };
    const bars = uPlot.paths.bars!({ size: [0.6, 48], align: 0 });
    const order = running.map((_, i) => i).reverse();
    const opts: uPlot.Options = {
      width: el.clientWidth || 600,
      height: 240,
      legend: { show: false },
      cursor: { y: false, points: { show: false } },
      scales: { x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1] } },
      axes: [
        { ...axis, incrs: [86_400, 2 * 86_400, 7 * 86_400, 30 * 86_400], values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toLocaleDateString([], { month: 'short', day: 'numeric' })) },
        { ...axis, size: 86, values: (_u, ticks) => ticks.map((t) => format(t)) },
      ],
      series: [
        {},
        ...order.map((i) => {
          const colour = STACK_COLOURS[i % STACK_COLOURS.length]!;
          return { label: stacks[i]!.label, stroke: colour, fill: colour, width: 0, paths: bars, points: { show: false } };
        }),
      ],
    };
    const data = [x, ...order.map((i) => running[i]!)] as uPlot.AlignedData;
    const plot = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: 240 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [x, stacks, format, theme]);
  return (
    <div>
      <div className="chart" ref={host} role="img" aria-label={ariaLabel} />
      <ul className="chart-legend" aria-label="Chart legend">
        {stacks.map((s, i) => (
          <li key={s.label}>
            <span className="legend-swatch" style={{ background: STACK_COLOURS[i % STACK_COLOURS.length] }} aria-hidden="true" />
            <span className="mono">{s.label}</span> <span className="muted">{format(s.values.reduce((a, b) => a + b, 0))}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
