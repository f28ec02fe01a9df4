// What you spent: today, this month and a chosen range (spend.summary), budgets and where they stand,
// cost per hour or per day stacked by model, provider, client or route (spend.series), a sortable
// breakdown that opens single requests with their attempts (spend.requests), and CSV export.
// Budgets come first: they are what needs attention; the long request list comes last.
import { useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { AppContract } from '../../../shared/contract';
import type { SpendGroupBy, SpendRequestsQuery, SpendSeries, SpendSummary } from '../../../shared/types';
import { formatSpendTotal, formatTokens, formatTotal } from '../../lib/format';
import type { ScreenProps } from '../../lib/screen';
import { themeStore } from '../../lib/theme';
import { Button } from '../../ui/Button';
import { ErrorNote } from '../../ui/ErrorNote';
import { EmptyState } from '../../ui/EmptyState';
import { NextStep } from '../../ui/NextStep';
import { Card, PageHeader } from '../../ui/Page';
import { useLoad } from '../../lib/use-load';
import { useModelChoices } from '../../lib/use-model-choices';
import { StackedBarChart } from '../../ui/StackedBarChart';
import { TableScroll } from '../../ui/TableScroll';
import { BudgetsCard } from './components/BudgetsCard';
import { RequestsTable } from './components/RequestsTable';
import { SpendTable } from './components/SpendTable';
import { calendarSince, chartPlan, RANGES, stackedSeries, unknownLayers, type ChartPlan, type RangeChoice } from './spend-data';

type Group = Exclude<SpendGroupBy, 'day'>;
const GROUPS: Array<{ value: Group; label: string }> = [
  { value: 'model', label: 'Model' },
  { value: 'provider', label: 'Provider' },
  { value: 'client', label: 'Client' },
  { value: 'route', label: 'Route' },
];

/** The drill-down filter for a breakdown row. */
function filterFor(group: Group, key: string): Partial<SpendRequestsQuery> {
  if (group === 'model') {
    const slash = key.indexOf('/');
    return { provider: key.slice(0, slash), model: key.slice(slash + 1) };
  }
  return { [group]: key };
}

/** Saves text as a file through a Blob link (works in the browser and in the desktop window). */
function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

interface Loaded {
  today: SpendSummary;
  month: SpendSummary;
  range: SpendSummary;
  /** The chart's series, per hour or per day as `plan` says (null plan: no spend in the range). */
  series: SpendSeries;
  plan: ChartPlan | null;
}

function Tile({ label, s }: { label: string; s: SpendSummary | undefined }) {
  return (
    <Card className="tile" label={label}>
      <div className="tile-label">{label}</div>
      <div className="tile-value" data-testid={`total-${label.toLowerCase().replace(/\s+/g, '-')}`}>
        {/* Some requests of unknown cost: the known part and "+ ?"; none priced: "unknown". Never $0. */}
        {s ? formatSpendTotal(s) : '—'}
      </div>
      <div className="tile-sub">
        {s ? `${formatTokens(s.requests)} requests · ${formatTokens(s.inputTokens + s.outputTokens)} tokens` : ' '}
        {/* A model without a price is left out of the total, and said so, never counted as $0. */}
        {s && s.unknownCostRequests > 0 && ` · ${formatTokens(s.unknownCostRequests)} with unknown cost`}
      </div>
    </Card>
  );
}

const formatChartValue = (v: number) => formatTotal(v);

/** The tiles, the range's breakdown and the chart's series. */
async function loadSpend(client: AppContract, range: RangeChoice, group: Group): Promise<Loaded> {
  const { today, month } = calendarSince();
  const since = range === 'all' ? undefined : range;
  const [t, m, r, daily] = await Promise.all([
    client.spend.summary({ since: today }),
    client.spend.summary({ since: month }),
    client.spend.summary({ since, by: group }),
    client.spend.series({ since, by: group }),
  ]);
  // The daily series says where spend starts; a short span is fetched again per hour.
  const plan = chartPlan(daily, range);
  const series =
    plan?.bucket === 'hour' ? await client.spend.series({ since: new Date(plan.from).toISOString(), by: group, bucket: 'hour' }) : daily;
  return { today: t, month: m, range: r, series, plan };
}

export function SpendScreen({ client, active }: ScreenProps) {
  const [range, setRange] = useState<RangeChoice>('30d');
  const [group, setGroup] = useState<Group>('model');
  const [tick, setTick] = useState(0);
  const [picked, setPicked] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const theme = useStore(themeStore, (t) => t.resolved);
  const choices = useModelChoices(client, active);
  const { state, data } = useLoad(() => loadSpend(client, range, group), active, `${range} ${group} ${tick}`);
  // A failed export is shown until the figures next load (or fail to), as a failed load would be: it
  // is tied to the load state shown when it failed (read through a ref, as the export outlives renders).
  const [exportFailure, setExportFailure] = useState<{ message: string; during: typeof state } | null>(null);
  const shown = useRef(state);
  shown.current = state;
  const error = exportFailure?.during === state ? exportFailure.message : state.status === 'error' ? state.error : null;

  const chart = useMemo(() => (data?.plan ? { ...stackedSeries(data.series, data.plan), bucket: data.plan.bucket } : null), [data]);
  const per = chart?.bucket === 'hour' ? 'hour' : 'day';
  const unpricedLayers = useMemo(() => (data ? unknownLayers(data.series) : []), [data]);
  const rangeLabel = RANGES.find((r) => r.value === range)!.label;
  const groupLabel = GROUPS.find((g) => g.value === group)!.label;
  const since = range === 'all' ? undefined : range;
  const drill = useMemo<SpendRequestsQuery>(() => ({ since, ...(picked ? filterFor(group, picked) : {}) }), [since, group, picked]);

  const exportCsv = async () => {
    setExporting(true);
    try {
      download(`switchboard-spend-${range}.csv`, await client.spend.exportCsv({ since }));
    } catch (e) {
      setExportFailure({ message: (e as Error).message, during: shown.current });
    } finally {
      setExporting(false);
    }
  };

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
        <Button variant="secondary" onClick={() => void exportCsv()} disabled={exporting}>
          Export CSV
        </Button>
      </PageHeader>
      {error && <ErrorNote>Could not load spend: {error}</ErrorNote>}
      {data && data.range.requests === 0 && data.month.requests === 0 && choices !== null && (
        <div className="empty-panel">
          <EmptyState title="No requests yet">
            {choices.length === 0
              ? 'Spend counts every request you make, from this window and from tools on the port. Add a provider to make the first one.'
              : 'Spend counts every request you make, from this window and from tools on the port. Send a chat, or point a tool at the port.'}
            <div className="next-steps">
              {choices.length === 0 ? (
                <NextStep href="#providers">Add a provider</NextStep>
              ) : (
                <>
                  <NextStep href="#chat">Send a chat</NextStep>
                  <NextStep href="#port" secondary>
                    Connect a tool
                  </NextStep>
                </>
              )}
            </div>
          </EmptyState>
        </div>
      )}
      <div className="tile-row">
        <Tile label="Today" s={data?.today} />
        <Tile label="This month" s={data?.month} />
        <Tile label={rangeLabel} s={data?.range} />
      </div>
      <BudgetsCard client={client} tick={tick} />
      <Card
        label="Cost over time"
        title={`Cost per ${per} by ${groupLabel.toLowerCase()}`}
        aside={
          <div className="segmented-inline" role="radiogroup" aria-label="Group by">
            {GROUPS.map((g) => (
              <button
                key={g.value}
                type="button"
                role="radio"
                aria-checked={group === g.value}
                className="seg-btn"
                onClick={() => (setGroup(g.value), setPicked(null))}
              >
                {g.label}
              </button>
            ))}
          </div>
        }
      >
        {chart ? (
          <StackedBarChart
            x={chart.x}
            bucket={chart.bucket}
            stacks={chart.stacks}
            theme={theme}
            format={formatChartValue}
            ariaLabel={`Cost per ${per} by ${groupLabel.toLowerCase()}, ${rangeLabel}: ${chart.stacks.map((s) => s.label).join(', ') || 'no spend'}`}
          />
        ) : (
          data && <p className="muted">No spend in this range.</p>
        )}
        {unpricedLayers.length > 0 && (
          <p className="small muted" data-testid="chart-unknown">
            Bars show known costs only: {unpricedLayers.join(', ')} {unpricedLayers.length === 1 ? 'has' : 'have'} requests of unknown cost
            (no price for the model).
          </p>
        )}
      </Card>
      <Card
        label="Breakdown"
        title={`Breakdown by ${groupLabel.toLowerCase()}`}
        aside={<span className="muted small">Pick a name to see its requests</span>}
      >
        {data && (
          <TableScroll label={`Spend by ${groupLabel}`}>
            <SpendTable
              groups={data.range.groups}
              groupLabel={groupLabel}
              onPick={(k) => setPicked(picked === k ? null : k)}
              picked={picked}
            />
          </TableScroll>
        )}
      </Card>
      <Card
        label="Requests"
        title={picked ? `Requests: ${picked}` : 'Requests'}
        aside={
          picked && (
            <Button variant="ghost" onClick={() => setPicked(null)}>
              Show all
            </Button>
          )
        }
      >
        <RequestsTable client={client} query={drill} tick={tick} />
      </Card>
    </div>
  );
}
