// The columns side by side, as tall as the window leaves them. Scrolling (following each stream, or
// in step once the user scrolls) is use-column-scroll's; live stats tick here a few times a second.
import { useEffect, useState } from 'react';
import type { CompareRun } from '../compare-types';
import { useColumnScroll } from '../use-column-scroll';
import { ColumnView } from './ColumnView';

interface Props {
  run: CompareRun;
  running: boolean;
  onVote(id: string): void;
  onStop(id: string): void;
  onRetry(id: string): void;
}

export function ColumnsGrid({ run, running, onVote, onStop, onRetry }: Props) {
  const bodyRef = useColumnScroll(run.id, running, run);
  // Live stats (tokens/s) tick while streaming, a few times a second rather than per token.
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(t);
  }, [running]);

  const hideNames = run.blind && !run.winner;
  const canVote = !running && !run.winner && run.columns.some((c) => c.status === 'done');
  return (
    <div className="compare-grid" style={{ gridTemplateColumns: `repeat(${run.columns.length}, minmax(200px, 1fr))` }}>
      {run.columns.map((c) => (
        <ColumnView
          key={c.id}
          column={c}
          hideName={hideNames}
          canVote={canVote}
          canRetry={!run.winner}
          isWinner={run.winner === c.id}
          now={now}
          bodyRef={bodyRef(c.id)}
          onVote={onVote}
          onStop={onStop}
          onRetry={onRetry}
        />
      ))}
    </div>
  );
}
