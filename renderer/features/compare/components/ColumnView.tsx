// One compare column: who it is (or its alias in blind mode), live stats, the streamed reply and
// the vote button.
import { memo } from 'react';
import { formatCost, formatMs, formatRate, formatTokens } from '../../../lib/format';
import { ErrorNote } from '../../../ui/ErrorNote';
import { Markdown } from '../../../ui/Markdown';
import { Badge } from '../../../ui/Page';
import { columnStats, type CompareColumn } from '../compare-types';

interface Props {
  column: CompareColumn;
  hideName: boolean;
  canVote: boolean;
  isWinner: boolean;
  now: number;
  bodyRef(el: HTMLDivElement | null): void;
  onScroll(): void;
  onVote(id: string): void;
}

export const ColumnView = memo(function ColumnView({ column, hideName, canVote, isWinner, now, bodyRef, onScroll, onVote }: Props) {
  const stats = columnStats(column, now);
  const name = hideName ? column.alias : column.model;
  const answeredBy = !hideName && column.report ? `${column.report.provider}/${column.report.model}` : null;
  return (
    <section className={`compare-column${isWinner ? ' is-winner' : ''}`} aria-label={name} data-testid="compare-column" data-status={column.status}>
      <header className="compare-column-head">
        <div className="compare-column-name">
          <span className={hideName ? '' : 'mono'} data-testid="column-name">
            {name}
          </span>
          {isWinner && <Badge tone="good">winner</Badge>}
          {column.status === 'streaming' && <span className="live-dot" aria-label="streaming" />}
        </div>
        {answeredBy && answeredBy !== column.model && <div className="muted small mono">answered by {answeredBy}</div>}
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
      </header>
      <div className="compare-column-body" ref={bodyRef} onScroll={onScroll} tabIndex={0} aria-label={`${name} reply`}>
        {column.status === 'waiting' && <p className="muted">Waiting for the first token…</p>}
        {column.text && <Markdown text={column.text} className="compare-text" />}
        {column.status === 'error' && <ErrorNote>{column.error}</ErrorNote>}
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
