// The port's live request log: the latest requests (newest first), refreshed every two seconds
// while the screen is shown.
import { useEffect, useState } from 'react';
import type { AppContract } from '../../../../shared/contract';
import type { PortRequestLogEntry } from '../../../../shared/types';
import { formatCost, formatTokens } from '../../../lib/format';
import { ErrorNote } from '../../../ui/ErrorNote';
import { Card } from '../../../ui/Page';

const POLL_MS = 2000;
const ROWS = 50;

export function RequestLog({ client, active }: { client: AppContract; active: boolean }) {
  const [rows, setRows] = useState<PortRequestLogEntry[]>([]);
  const [error, setError] = useState<string | null>(null);

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
    <Card label="Request log" title="Live request log" aside={<span className="muted small">Latest {ROWS}, refreshed every 2 s</span>}>
      {error && <ErrorNote>{error}</ErrorNote>}
      <table className="table compact" aria-label="Port requests">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Client</th>
            <th scope="col">Asked for</th>
            <th scope="col">Answered by</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Tokens
            </th>
            <th scope="col" className="num">
              Cost
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                No requests on the port yet.
              </td>
            </tr>
          )}
          {rows.map((r) => (
            <tr key={r.id} data-testid="port-request">
              <td>{new Date(r.startedAt).toLocaleTimeString()}</td>
              <td className="mono">{r.client ?? '—'}</td>
              <td className="mono">{r.route ?? r.path ?? '—'}</td>
              <td className="mono">
                {r.provider ? `${r.provider}/${r.model}` : '—'}
                {r.attempts.length > 1 && <span className="muted small"> after {r.attempts.length} attempts</span>}
                {r.notes?.map((note) => (
                  <div key={note} className="muted small">
                    {note}
                  </div>
                ))}
              </td>
              <td>
                <span className={`badge badge-${r.status === 'ok' ? 'good' : r.status === 'cancelled' ? 'neutral' : 'bad'}`}>
                  {r.httpStatus} {r.status}
                </span>
              </td>
              <td className="num">
                {r.usageEstimated ? `~${formatTokens(r.inputTokens)} / ~${formatTokens(r.outputTokens)}` : `${formatTokens(r.inputTokens)} / ${formatTokens(r.outputTokens)}`}
              </td>
              <td className="num">{formatCost(r.costUsd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
