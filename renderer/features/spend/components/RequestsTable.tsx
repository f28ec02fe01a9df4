// The spend drill-down: single requests (newest first, a page at a time) with their attempts,
// shown for the range and whatever the user picked in the breakdown (a model, a route, a client).
import { Fragment, useState } from 'react';
import type { AppContract } from '../../../../shared/contract';
import type { SpendRequest, SpendRequestsQuery } from '../../../../shared/types';
import { formatCost, formatMs, formatTokens } from '../../../lib/format';
import { usePagedLoad } from '../../../lib/use-load';
import { Button } from '../../../ui/Button';
import { ErrorNote } from '../../../ui/ErrorNote';
import { DataTable, type Column } from '../../../ui/DataTable';

const PAGE = 50;

const COLUMNS: readonly Column[] = [
  { label: 'Time' },
  { label: 'Source' },
  { label: 'Route' },
  { label: 'Answered by' },
  { label: 'Status' },
  { label: 'Tokens in / out', num: true },
  { label: 'Cost', num: true },
  { label: 'Attempts' },
];

const time = (ms: number) =>
  new Date(ms).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function RequestsTable({ client, query, tick }: { client: AppContract; query: SpendRequestsQuery; tick: number }) {
  const [open, setOpen] = useState<string | null>(null);
  // `key` stands for the query's content: a new object with the same filters is the same query.
  const key = JSON.stringify(query);
  const { rows, more, error, loadMore } = usePagedLoad<SpendRequest>(
    (after) => client.spend.requests({ ...query, limit: PAGE, ...(after ? { before: after.startedAt } : {}) }),
    PAGE,
    true,
    `${key} ${tick}`,
  );

  if (error) return <ErrorNote>Could not load requests: {error}</ErrorNote>;
  return (
    <>
      <DataTable label="Requests" className="table requests-table" columns={COLUMNS} empty={rows.length === 0 ? 'No requests.' : undefined}>
        {rows.map((r) => (
          <Fragment key={r.id}>
            <tr data-testid="request-row">
              <td>{time(r.startedAt)}</td>
              <td>{r.client ? `${r.source} · ${r.client}` : r.source}</td>
              <td className="mono">{r.route ?? r.requestedModel ?? '—'}</td>
              <td className="mono">
                {r.provider ? `${r.provider}/${r.model}` : '—'}
                {/* A request that was not answered names the last target it tried. */}
                {r.provider && r.status !== 'ok' && <span className="muted small"> (tried)</span>}
              </td>
              <td>
                <span
                  className={`badge badge-${r.status === 'ok' ? 'good' : r.status === 'error' || r.status === 'interrupted' ? 'bad' : 'neutral'}`}
                >
                  {r.status === 'ok' ? r.httpStatus : r.status === 'interrupted' ? r.status : `${r.status} ${r.httpStatus}`}
                </span>
              </td>
              <td className="num" title={r.usageEstimated ? 'Estimated: the provider reported no token counts' : undefined}>
                {r.usageEstimated
                  ? `~${formatTokens(r.inputTokens)} / ~${formatTokens(r.outputTokens)}`
                  : `${formatTokens(r.inputTokens)} / ${formatTokens(r.outputTokens)}`}
              </td>
              <td className="num">{formatCost(r.costUsd)}</td>
              <td>
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  aria-expanded={open === r.id}
                  onClick={() => setOpen(open === r.id ? null : r.id)}
                >
                  {r.attempts.length} {r.attempts.length === 1 ? 'attempt' : 'attempts'}
                </button>
              </td>
            </tr>
            {open === r.id && (
              <tr className="attempts-row">
                <td colSpan={COLUMNS.length}>
                  <ol className="attempts" aria-label={`Attempts of request ${r.id}`}>
                    {r.attempts.map((a, i) => (
                      <li key={i}>
                        <span className="mono">
                          {a.provider}/{a.model}
                        </span>
                        {a.keyLabel && <span className="muted"> key {a.keyLabel}</span>} —{' '}
                        {a.status === null ? 'no response' : `HTTP ${a.status}`}
                        {a.errorClass && ` (${a.errorClass})`} in {formatMs(a.durationMs)}
                      </li>
                    ))}
                  </ol>
                  {r.errorMessage && <p className="small">{r.errorMessage}</p>}
                  {r.ttftMs !== null && (
                    <p className="small muted">
                      First token after {formatMs(r.ttftMs)}, done after {formatMs(r.durationMs)}.
                    </p>
                  )}
                </td>
              </tr>
            )}
          </Fragment>
        ))}
      </DataTable>
      {more && (
        <Button variant="ghost" onClick={() => void loadMore()}>
          Load more
        </Button>
      )}
    </>
  );
}
