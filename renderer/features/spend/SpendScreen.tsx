// What you spent: today, this month and a chosen range (spend.summary), cost per day as a chart,
// and a sortable breakdown by model, provider or client tool. Stacked series, single-request
// drill-down, CSV and budgets arrive with the spend service.
import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { SpendGroupBy, SpendSummary } from '../../../shared/types';
import { formatTokens, formatTotal } from '../../lib/format';
import type { ScreenProps } from '../../lib/screen';
import { themeStore } from '../../lib/theme';
import { BarChart } from '../../ui/BarChart';
import { Button } from '../../ui/Button';
import { ErrorNote } from '../../ui/ErrorNote';
import { Card, PageHeader } from '../../ui/Page';
import { SpendTable } from './components/SpendTable';
import { calendarSince, dailySeries, RANGES, type RangeChoice } from './spend-data';

type Group = Exclude<SpendGroupBy, 'day'>;
const GROUPS: Array<{ value: Group; label: string }> = [
  { value: 'model', label: 'Model' },
  { value: 'provider', label: 'Provider' },
  { value: 'client', label: 'Client' },
];

interface Loaded {
  today: SpendSummary;
  month: SpendSummary;
  range: SpendSummary;
  days: SpendSummary;
}

function Tile({ label, s }: { label: string; s: SpendSummary | undefined }) {
  return (
    <Card className="tile" label={label}>
      <div className="tile-label">{label}</div>
      <div className="tile-value" data-testid={`total-${label.toLowerCase().replace(/\s+/g, '-')}`}>
        {s ? formatTotal(s.costUsd) : '—'}
      </div>
      <div className="tile-sub">
        {s ? `${formatTokens(s.requests)} requests · ${formatTokens(s.inputTokens + s.outputTokens)} tokens` : ' '}
        {/* A model without a price is left out of the total, and said so, never counted as $0. */}
        {s && s.unknownCostRequests > 0 && ` · ${formatTokens(s.unknownCostRequests)} with unknown cost`}
      </div>
    </Card>
  );
}

export function SpendScreen({ client, active }: ScreenProps) {
  const [range, setRange] = useState<RangeChoice>('30d');
  const [group, setGroup] = useState<Group>('model');
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const theme = useStore(themeStore, (t) => t.resolved);

  useEffect(() => {
    if (!active) return;
    let live = true;
    const { today, month } = calendarSince();
    const since = range === 'all' ? undefined : range;
    Promise.all([
      client.spend.summary({ since: today }),
      client.spend.summary({ since: month }),
      client.spend.summary({ since, by: group }),
      client.spend.summary({ since, by: 'day' }),
    ]).then(
      ([t, m, r, d]) => live && (setData({ today: t, month: m, range: r, days: d }), setError(null)),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [client, active, range, group, tick]);

  const series = useMemo(() => {
    if (!data) return null;
    const { x, y } = dailySeries(data.days.groups, range);
    return { x, y, label: 'Cost', format: (v: number) => (v === 0 ? '$0' : formatTotal(v)) };
  }, [data, range]);
  const rangeLabel = RANGES.find((r) => r.value === range)!.label;

  return (
    <div className="page">
      <PageHeader title="Spend" subtitle="Every request through the port and this window, from the ledger on this machine.">
        <label className="field-inline">
          <span>Range</span>
          <select aria-label="Range" value={range} onChange={(e) => setRange(e.target.value as RangeChoice)}>
            {RANGES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <Button variant="ghost" onClick={() => setTick((t) => t + 1)}>
          Refresh
        </Button>
      </PageHeader>
      {error && <ErrorNote>Could not load spend: {error}</ErrorNote>}
      <div className="tile-row">
        <Tile label="Today" s={data?.today} />
        <Tile label="This month" s={data?.month} />
        <Tile label={rangeLabel} s={data?.range} />
      </div>
      <Card label="Cost per day" title="Cost per day" aside={<span className="muted small">{rangeLabel}</span>}>
        {series && <BarChart series={series} theme={theme} ariaLabel={`Cost per day, ${rangeLabel}: ${series.y.filter((v) => v > 0).length} days with spend`} />}
      </Card>
      <Card
        label="Breakdown"
        title="Breakdown"
        aside={
          <div className="segmented-inline" role="radiogroup" aria-label="Group by">
            {GROUPS.map((g) => (
              <button key={g.value} type="button" role="radio" aria-checked={group === g.value} className="seg-btn" onClick={() => setGroup(g.value)}>
                {g.label}
              </button>
            ))}
          </div>
        }
      >
        {data && <SpendTable groups={data.range.groups} groupLabel={GROUPS.find((g) => g.value === group)!.label} />}
      </Card>
    </div>
  );
}
