// The compare screen: pick 2–6 models or routes, send one prompt to all, watch the answers stream
// side by side with their speed and cost, vote (blind if you like), and find past runs.
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { ScreenProps } from '../../lib/screen';
import { Button } from '../../ui/Button';
import { ErrorNote } from '../../ui/ErrorNote';
import { EmptyState } from '../../ui/EmptyState';
import { SendIcon, StopIcon } from '../../ui/Icons';
import { PageHeader } from '../../ui/Page';
import { createEngineCompareRuns } from './compare-repositories';
import { createCompareStore, MAX_COLUMNS, MIN_COLUMNS, type CompareStore } from './compare-store';
import { ColumnsGrid } from './components/ColumnsGrid';
import { PromoteWinner } from './components/PromoteWinner';
import { RunList } from './components/RunList';

/** The run's part of the screen: the only part that re-renders while columns stream. */
function RunArea({ store, client }: { store: CompareStore; client: ScreenProps['client'] }) {
  const { run, running, vote } = useStore(store, useShallow((st) => ({ run: st.run, running: st.running, vote: st.vote })));
  if (!run)
    return (
      <div className="compare-empty">
        <EmptyState title="Nothing compared yet">Pick at least two models, write a prompt and run it. Turn on blind mode to judge without names.</EmptyState>
      </div>
    );
  const winner = run.columns.find((c) => c.id === run.winner);
  return (
    <>
      {winner && (
        <div className="winner-bar" role="status">
          <span>
            You picked <strong className="mono">{winner.model}</strong>
            {run.blind ? ` (was ${winner.alias})` : ''}.
          </span>
          <PromoteWinner key={run.id} client={client} winner={winner} />
        </div>
      )}
      <ColumnsGrid run={run} running={running} onVote={(id) => void vote(id)} />
    </>
  );
}

export function CompareScreen({ client, active }: ScreenProps) {
  const [store] = useState(() => createCompareStore(client, createEngineCompareRuns(client)));
  // Everything but the streaming run: this part does not re-render per batch of tokens.
  const s = useStore(
    store,
    useShallow(({ run: _run, ...rest }) => ({ ...rest, runId: _run?.id ?? null })),
  );
  useEffect(() => {
    if (active) void store.getState().loadModels();
  }, [active, store]);

  const ready = !s.running && s.prompt.trim() !== '' && s.selected.length >= MIN_COLUMNS;
  return (
    <div className="page compare-page">
      <PageHeader title="Compare" subtitle={`One prompt, ${MIN_COLUMNS} to ${MAX_COLUMNS} models side by side.`} />
      <div className="compare-setup">
        <fieldset className="model-chooser">
          <legend className="section-label">
            Models ({s.selected.length}/{MAX_COLUMNS})
          </legend>
          {s.models.map((m) => {
            const on = s.selected.includes(m.id);
            return (
              <label key={m.id} className={`chip chip-toggle${on ? ' is-on' : ''}`}>
                <input type="checkbox" checked={on} disabled={s.running || (!on && s.selected.length >= MAX_COLUMNS)} onChange={() => s.toggleModel(m.id)} />
                <span className="mono">{m.id}</span>
              </label>
            );
          })}
        </fieldset>
        {s.modelsError && <ErrorNote>Could not load models: {s.modelsError}</ErrorNote>}
        <form
          className="compare-prompt"
          onSubmit={(e) => {
            e.preventDefault();
            if (ready) void s.start();
          }}
        >
          <textarea
            aria-label="Prompt"
            placeholder="One prompt for every selected model…  (Ctrl+Enter to run)"
            value={s.prompt}
            rows={2}
            onChange={(e) => s.setPrompt(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && ready) {
                e.preventDefault();
                void s.start();
              }
            }}
          />
          <div className="compare-prompt-actions">
            <label className="switch">
              <input type="checkbox" checked={s.blind} disabled={s.running} onChange={(e) => s.setBlind(e.target.checked)} />
              <span>Blind mode</span>
            </label>
            {s.running ? (
              <Button variant="danger" onClick={s.stop}>
                <StopIcon /> Stop all
              </Button>
            ) : (
              <Button variant="primary" type="submit" disabled={!ready}>
                Run compare <SendIcon />
              </Button>
            )}
          </div>
        </form>
      </div>
      <RunArea store={store} client={client} />
      <RunList runs={s.runs} currentId={s.runId} disabled={s.running} onOpen={(id) => void s.openRun(id)} />
    </div>
  );
}
