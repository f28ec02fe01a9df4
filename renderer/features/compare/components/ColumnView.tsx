// One compare column: who it is (or its alias in blind mode), live stats, the streamed reply, its own
// stop and retry, and the vote button. In blind mode nothing that could tell the model apart (name,
// provider, cost, speed, tokens, an error naming the provider) shows until the vote.
import { memo } from 'react';
import { formatCost, formatMs, formatRate, formatTokens } from '../../../lib/format';
import { ErrorNote } from '../../../ui/ErrorNote';
import { RefreshIcon, StopIcon } from '../../../ui/Icons';
import { Markdown } from '../../../ui/Markdown';
import { Badge } from '../../../ui/Page';
import { columnStats, type CompareColumn } from '../compare-types';

interface Props {
  column: CompareColumn;
  hideName: boolean;
  canVote: boolean;
  /** Retry is offered until the vote. */
  canRetry: boolean;
  isWinner: boolean;
  now: number;
  bodyRef(el: HTMLDivElement | null): void;
  onVote(id: string): void;
  onStop(id: string): void;
  onRetry(id: string): void;
}

function Stats({ column, now }: { column: CompareColumn; now: number }) {
  const stats = columnStats(column, now);
  return (
    <dl className="compare-stats">
      <div>
        <dt>TTFT</dt>
        <dd data-testid="stat-ttft">{stats.ttftMs === null ? '—' : formatMs(stats.ttftMs)}</dd>
      </div>
      <div>
        <dt>Speed</dt>
        <dd data-testid="stat-rate">{stats.tokensPerSecond === null ? '—' : formatRate(stats.tokensPerSecond)}</dd>
      </div>
      <div>
        <dt>Tokens</dt>
        <dd data-testid="stat-tokens">{stats.outputTokens === null ? '—' : formatTokens(stats.outputTokens)}</dd>
      </div>
      <div>
        <dt>Cost</dt>
        <dd data-testid="stat-cost">{stats.costUsd === undefined ? '—' : formatCost(stats.costUsd)}</dd>
      </div>
    </dl>
  );
}

export const ColumnView = memo(function ColumnView({
  column,
  hideName,
  canVote,
  canRetry,
  isWinner,
  now,
  bodyRef,
  onVote,
  onStop,
  onRetry,
}: Props) {
  const name = hideName ? column.alias : column.model;
  const answeredBy = !hideName && column.report ? `${column.report.provider}/${column.report.model}` : null;
  const live = column.status === 'waiting' || column.status === 'streaming';
  return (
    <section
      className={`compare-column${isWinner ? ' is-winner' : ''}`}
      aria-label={name}
      data-testid="compare-column"
      data-status={column.status}
    >
      <header className="compare-column-head">
        <div className="compare-column-name">
          <span className={hideName ? '' : 'mono'} data-testid="column-name">
            {name}
          </span>
          {isWinner && <Badge tone="good">winner</Badge>}
          {column.status === 'streaming' && <span className="live-dot" aria-label="streaming" />}
          <span className="toolbar-spacer" />
          {live ? (
            <button type="button" className="btn btn-ghost btn-sm" aria-label={`Stop ${name}`} onClick={() => onStop(column.id)}>
              <StopIcon /> Stop
            </button>
          ) : (
            canRetry && (
              <button type="button" className="btn btn-ghost btn-sm" aria-label={`Retry ${name}`} onClick={() => onRetry(column.id)}>
                <RefreshIcon /> Retry
              </button>
            )
          )}
        </div>
        {answeredBy && answeredBy !== column.model && <div className="muted small mono">answered by {answeredBy}</div>}
        {hideName ? (
          <p className="muted small compare-blind-note" data-testid="blind-stats">
            Speed, tokens and cost show after your vote.
          </p>
        ) : (
          <Stats column={column} now={now} />
        )}
      </header>
      <div className="compare-column-body" ref={bodyRef} tabIndex={0} aria-label={`${name} reply`}>
        {column.status === 'waiting' && <p className="muted">Waiting for the first token…</p>}
        {column.text && <Markdown text={column.text} className="compare-text" />}
        {/* An error message names the provider or model, so blind mode keeps it until the vote. */}
        {column.status === 'error' && (
          <ErrorNote>{hideName ? 'This model failed; the reason shows after your vote.' : column.error}</ErrorNote>
        )}
        {column.status === 'stopped' && <p className="reply-note">Stopped.</p>}
      </div>
      {canVote && (
        <footer className="compare-column-foot">
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => onVote(column.id)}>
            Vote for {column.alias}
          </button>
        </footer>
      )}
    </section>
  );
});
