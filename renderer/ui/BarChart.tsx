// A daily bar chart drawn by uPlot (canvas; its inline styles are allowed by the CSP's
// style-src 'unsafe-inline', and it runs no inline script). Colours follow the theme.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface BarSeries {
  /** Seconds since the epoch, ascending. */
  x: number[];
  y: number[];
  label: string;
  format(v: number): string;
}

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

export function BarChart({ series, ariaLabel, theme }: { series: BarSeries; ariaLabel: string; theme: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const accent = css('--accent');
    const axis = { stroke: css('--text-3'), grid: { stroke: css('--border'), width: 1 }, ticks: { stroke: css('--border'), width: 1 } };
    const opts: uPlot.Options = {
      width: el.clientWidth || 600,
      height: 240,
      legend: { show: false },
      cursor: { y: false, points: { show: false } },
      // Half a day either side so the first and last bars are not cut in half.
      scales: { x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1] } },
      axes: [
        { ...axis, incrs: [86_400, 2 * 86_400, 7 * 86_400, 30 * 86_400], values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toLocaleDateString([], { month: 'short', day: 'numeric' })) },
        { ...axis, size: 86, values: (_u, ticks) => ticks.map((t) => series.format(t)) },
      ],
      series: [
        {},
        {
          label: series.label,
          stroke: accent,
          fill: `${accent}cc`,
          width: 0,
          paths: uPlot.paths.bars!({ size: [0.6, 48], align: 0 }),
          points: { show: false },
        },
      ],
    };
    const plot = new uPlot(opts, [series.x, series.y], el);
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: 240 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [series, theme]);
  return <div className="chart" ref={host} role="img" aria-label={ariaLabel} />;
}
