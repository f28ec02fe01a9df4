// Past compare runs (kept by the engine): prompt, models and the winner; open one to see it again.
// Folded away by default, so the columns keep the window's height.
import { useState } from 'react';
import type { CompareRun } from '../compare-types';

export function RunList({
  runs,
  currentId,
  disabled,
  onOpen,
}: {
  runs: CompareRun[];
  currentId: string | null;
  disabled: boolean;
  onOpen(id: string): void;
}) {
  const [open, setOpen] = useState(false);
  if (runs.length === 0) return null;
  return (
    <details className="card run-list" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="run-list-summary">Past runs ({runs.length})</summary>
      <section aria-label="Past runs">
        <ul>
          {runs.map((r) => {
            const winner = r.columns.find((c) => c.id === r.winner);
            return (
              <li key={r.id}>
                <button
                  type="button"
                  className="run-item"
                  aria-current={r.id === currentId ? 'true' : undefined}
                  disabled={disabled}
                  onClick={() => onOpen(r.id)}
                >
                  <span className="run-prompt">{r.prompt}</span>
                  {/* Before the vote, a blind run's column order would give the names away. */}
                  <span className="muted small mono">
                    {r.blind && !r.winner ? `blind · ${r.columns.length} models` : r.columns.map((c) => c.model).join(' · ')}
                  </span>
                  <span className="small">{winner ? `winner: ${winner.model}` : 'no vote yet'}</span>
                </button>
              </li>
            );
          })}
        </ul>
      </section>
    </details>
  );
}
