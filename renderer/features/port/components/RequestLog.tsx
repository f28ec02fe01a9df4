// The port's live request log: the latest requests (newest first), refreshed every two seconds while
// the screen is shown. A row opens to its detail (attempts, notes, error); a new request tells the
// screen, so figures that depend on it (each token's requests and spend) refresh too.
import { Fragment, useEffect, useRef, useState } from 'react';
import type { AppContract } from '../../../../shared/contract';
import type { PortRequestLogEntry } from '../../../../shared/types';
import { formatCost, formatTokens } from '../../../lib/format';
import { ErrorNote } from '../../../ui/ErrorNote';
import { Card } from '../../../ui/Page';
import { DataTable, type Column } from '../../../ui/DataTable';
import { askedFor, RequestDetail, statusOf } from './RequestDetail';
import '../port.css';

const POLL_MS = 2000;
const ROWS = 50;

const COLUMNS: readonly Column[] = [
  { label: 'Time' },
  { label: 'Client' },
  { label: 'Asked for' },
  { label: 'Answered by' },
  { label: 'Status' },
  { label: 'Tokens', num: true },
  { label: 'Cost', num: true },
];

interface Props {
  client: AppContract;
  active: boolean;
  /** Called when requests arrive that were not in the log before. */
  onNewRequests?(): void;
}

export function RequestLog({ client, active, onNewRequests }: Props) {
  const [rows, setRows] = useState<PortRequestLogEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const newest = useRef<string | null | undefined>(undefined);
  const notify = useRef(onNewRequests);
  notify.current = onNewRequests;

  // A poll, not useLoad's load-on-show: it repeats while shown, backs off after a failure, and tells
  // the screen about new requests; its own `live` flag stops the loop when the screen is hidden.
  useEffect(() => {
    if (!active) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // One request at a time: the next poll is scheduled only after the last answer.
    const poll = () =>
      client.port.requests(ROWS).then(
        (list) => {
          if (!live) return;
          setRows(list);
          setError(null);
          const top = list[0]?.id ?? null;
          // The first answer only sets the mark; later ones report what is new.
          if (newest.current !== undefined && top !== newest.current) notify.current?.();
          newest.current = top;
          timer = setTimeout(poll, POLL_MS);
        },
        (e: Error) => {
          if (!live) return;
          setError(e.message);
          timer = setTimeout(poll, POLL_MS * 5);
        },
      );
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, active]);

  return (
    <Card
      label="Request log"
      title="Live request log"
      aside={<span className="muted small">Latest {ROWS}, refreshed every 2 s · open a row for its detail</span>}
    >
      {error && <ErrorNote>{error}</ErrorNote>}
      <DataTable
        label="Port requests"
        className="table compact"
        columns={COLUMNS}
        empty={rows.length === 0 ? 'No requests on the port yet.' : undefined}
      >
        {rows.map((r) => {
          const status = statusOf(r);
          const isOpen = open === r.id;
          return (
            <Fragment key={r.id}>
              <tr data-testid="port-request" className={isOpen ? 'is-open' : undefined}>
                <td className="nowrap">
                  <button
                    type="button"
                    className="link-btn"
                    aria-expanded={isOpen}
                    aria-label={`Details of the request at ${new Date(r.startedAt).toLocaleTimeString()}`}
                    onClick={() => setOpen(isOpen ? null : r.id)}
                  >
                    {new Date(r.startedAt).toLocaleTimeString()}
                  </button>
                </td>
                <td className="mono">{r.client ?? '—'}</td>
                <td className="mono">{askedFor(r)}</td>
                <td className="mono">
                  {r.provider ? `${r.provider}/${r.model}` : '—'}
                  {r.attempts.length > 1 && <span className="muted small"> after {r.attempts.length} attempts</span>}
                  {r.notes?.length ? (
                    <span className="muted small"> · {r.notes.length === 1 ? '1 note' : `${r.notes.length} notes`}</span>
                  ) : null}
                </td>
                <td className="nowrap">
                  <span className={`badge badge-${status.tone}`}>{status.text}</span>
                </td>
                <td className="num">
                  {r.usageEstimated
                    ? `~${formatTokens(r.inputTokens)} / ~${formatTokens(r.outputTokens)}`
                    : `${formatTokens(r.inputTokens)} / ${formatTokens(r.outputTokens)}`}
                </td>
                <td className="num">{formatCost(r.costUsd)}</td>
              </tr>
              {isOpen && (
                <tr className="attempts-row">
                  <td colSpan={COLUMNS.length}>
                    <RequestDetail r={r} />
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </DataTable>
    </Card>
  );
}
