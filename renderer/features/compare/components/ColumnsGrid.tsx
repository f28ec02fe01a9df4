// The columns side by side with synchronised scrolling: scrolling one moves the others to the
// same relative position, so the same part of each answer is in view.
import { useEffect, useRef, useState } from 'react';
import type { CompareRun } from '../compare-types';
import { ColumnView } from './ColumnView';

interface Props {
  run: CompareRun;
  running: boolean;
  onVote(id: string): void;
}

export function ColumnsGrid({ run, running, onVote }: Props) {
  const bodies = useRef(new Map<string, HTMLDivElement>());
  const leader = useRef<string | null>(null);
  // Live stats (tokens/s) tick while streaming, a few times a second rather than per token.
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(t);
  }, [running]);

  const sync = (id: string) => {
    if (leader.current && leader.current !== id) return;
    const from = bodies.current.get(id);
    if (!from) return;
    leader.current = id;
    const ratio = from.scrollTop / Math.max(1, from.scrollHeight - from.clientHeight);
    for (const [other, el] of bodies.current) {
      if (other !== id) el.scrollTop = ratio * (el.scrollHeight - el.clientHeight);
    }
    requestAnimationFrame(() => (leader.current = null));
  };

  const hideNames = run.blind && !run.winner;
  const canVote = !running && !run.winner && run.columns.some((c) => c.status === 'done');
  return (
    <div className="compare-grid" style={{ gridTemplateColumns: `repeat(${run.columns.length}, minmax(240px, 1fr))` }}>
      {run.columns.map((c) => (
        <ColumnView
          key={c.id}
          column={c}
          hideName={hideNames}
          canVote={canVote}
          isWinner={run.winner === c.id}
          now={now}
          bodyRef={(el) => {
            if (el) bodies.current.set(c.id, el);
            else bodies.current.delete(c.id);
          }}
          onScroll={() => sync(c.id)}
          onVote={onVote}
        />
      ))}
    </div>
  );
}
