// One port request opened from the log: what was asked and who answered, every attempt, what was
// dropped (notes), the error, timings and, while capture is on, the redacted request body.
import type { PortRequestLogEntry } from '../../../../shared/types';
import { formatCost, formatMs, formatTokens } from '../../../lib/format';

/** A refusal by a budget: a 402 sent before any upstream attempt (an upstream 402 has attempts). */
export const isBudgetRefusal = (r: PortRequestLogEntry): boolean => r.httpStatus === 402 && r.attempts.length === 0;

/** The log's status badge: what happened, in words, with a tone. */
export function statusOf(r: PortRequestLogEntry): { tone: 'good' | 'warn' | 'bad' | 'neutral'; text: string } {
  if (isBudgetRefusal(r)) return { tone: 'warn', text: '402 refused by budget' };
  if (r.status === 'ok') return { tone: 'good', text: `${r.httpStatus} ok` };
  if (r.status === 'cancelled') return { tone: 'neutral', text: 'cancelled by client' };
  if (r.status === 'refused') return { tone: 'warn', text: `${r.httpStatus} refused` };
  if (r.status === 'interrupted') return { tone: 'bad', text: 'interrupted' };
  return { tone: 'bad', text: `${r.httpStatus} error` };
}

/** What the client asked for: the model name it sent (a route, an alias, a provider/model), else the path. */
export const askedFor = (r: PortRequestLogEntry): string => r.requestedModel ?? r.route ?? r.path ?? '—';

export function RequestDetail({ r }: { r: PortRequestLogEntry }) {
  return (
    <div className="request-detail" data-testid="request-detail">
      <dl className="request-facts">
        <div>
          <dt>Asked for</dt>
          <dd className="mono">{askedFor(r)}</dd>
        </div>
        {r.route && r.route !== r.requestedModel && (
          <div>
            <dt>Route</dt>
            <dd className="mono">{r.route}</dd>
          </div>
        )}
        <div>
          <dt>Answered by</dt>
          <dd className="mono">{r.provider && r.status === 'ok' ? `${r.provider}/${r.model}` : 'nobody'}</dd>
        </div>
        {r.path && (
          <div>
            <dt>Path</dt>
            <dd className="mono">{r.path}</dd>
          </div>
        )}
        <div>
          <dt>Time</dt>
          <dd>
            {r.ttftMs !== null ? `first token after ${formatMs(r.ttftMs)}, ` : ''}done after {formatMs(r.durationMs)}
          </dd>
        </div>
        <div>
          <dt>Tokens and cost</dt>
          <dd>
            {formatTokens(r.inputTokens)} in / {formatTokens(r.outputTokens)} out{r.usageEstimated ? ' (estimated)' : ''} ·{' '}
            {formatCost(r.costUsd)}
          </dd>
        </div>
      </dl>
      {r.errorMessage && (
        <p className="request-error">
          <strong>{isBudgetRefusal(r) ? 'Refused by a budget: ' : 'Error: '}</strong>
          {r.errorMessage}
        </p>
      )}
      <h3 className="request-detail-title">Attempts</h3>
      {r.attempts.length === 0 ? (
        <p className="muted small">None: the request was not sent upstream.</p>
      ) : (
        <ol className="attempts" aria-label={`Attempts of request ${r.id}`}>
          {r.attempts.map((a, i) => (
            <li key={i}>
              <span className="mono">
                {a.provider}/{a.model}
              </span>{' '}
              — {a.status === null ? 'no response' : `HTTP ${a.status}`}
              {a.errorClass && ` (${a.errorClass})`} in {formatMs(a.durationMs)}
            </li>
          ))}
        </ol>
      )}
      {r.notes && r.notes.length > 0 && (
        <>
          <h3 className="request-detail-title">Notes</h3>
          <ul className="request-notes">
            {r.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </>
      )}
      {r.requestBody && (
        <>
          <h3 className="request-detail-title">Request body (redacted)</h3>
          <pre className="request-body" tabIndex={0} aria-label="Request body">
            {r.requestBody}
          </pre>
        </>
      )}
    </div>
  );
}
