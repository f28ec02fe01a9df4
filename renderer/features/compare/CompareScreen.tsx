// The compare screen: pick 2–6 models or routes, send one prompt to all, watch the answers stream
// side by side with their speed and cost (columns fill the window's height), stop or retry a column,
// vote (blind if you like), and find past runs.
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { ScreenProps } from '../../lib/screen';
import { BudgetWarning } from '../../ui/BudgetWarning';
import { Button } from '../../ui/Button';
import { ErrorNote } from '../../ui/ErrorNote';
import { EmptyState } from '../../ui/EmptyState';
import { SendIcon, StopIcon } from '../../ui/Icons';
import { NextStep } from '../../ui/NextStep';
import { PageHeader } from '../../ui/Page';
import { useChanges } from '../../lib/changes';
import { useModelChoices } from '../../lib/use-model-choices';
import { createEngineCompareRuns } from './compare-repositories';
import { createCompareStore, MAX_COLUMNS, MIN_COLUMNS, type CompareStore } from './compare-store';
import { ColumnsGrid } from './components/ColumnsGrid';
import { ModelChooser } from './components/ModelChooser';
import { PromoteWinner } from './components/PromoteWinner';
import { RunList } from './components/RunList';

/** The run's part of the screen: the only part that re-renders while columns stream. */
function RunArea({ store, client }: { store: CompareStore; client: ScreenProps['client'] }) {
  const { run, running, vote, stopColumn, retryColumn } = useStore(
    store,
    useShallow((st) => ({ run: st.run, running: st.running, vote: st.vote, stopColumn: st.stopColumn, retryColumn: st.retryColumn })),
  );
  if (!run)
    return (
      <div className="compare-empty">
        <EmptyState title="Nothing compared yet">
          Pick at least two models, write a prompt and run it. Turn on blind mode to judge without names.
        </EmptyState>
      </div>
    );
  const winner = run.columns.find((c) => c.id === run.winner);
  return (
    <div className="compare-run">
      {winner && (
        <div className="winner-bar" role="status">
          <span>
            You picked <strong className="mono">{winner.model}</strong>
            {run.blind ? ` (was ${winner.alias})` : ''}.
          </span>
          <PromoteWinner key={run.id} client={client} winner={winner} />
        </div>
      )}
      <ColumnsGrid run={run} running={running} onVote={(id) => void vote(id)} onStop={stopColumn} onRetry={(id) => void retryColumn(id)} />
    </div>
  );
}

export function CompareScreen({ client, active }: ScreenProps) {
  const [store] = useState(() => createCompareStore(client, createEngineCompareRuns(client)));
  // Everything but the streaming run: this part does not re-render per batch of tokens.
  const s = useStore(
    store,
    useShallow(({ run: _run, ...rest }) => ({ ...rest, runId: _run?.id ?? null })),
  );
  // Providers and routes added anywhere show up here at once.
  const modelsChanged = useChanges(client, ['providers', 'routes']);
  const choices = useModelChoices(client, active);
  useEffect(() => {
    if (active) void store.getState().loadModels();
  }, [active, store, modelsChanged]);

  const ready = !s.running && s.prompt.trim() !== '' && s.selected.length >= MIN_COLUMNS;
  return (
    <div className="page compare-page">
      <PageHeader title="Compare" subtitle={`One prompt, ${MIN_COLUMNS} to ${MAX_COLUMNS} models side by side.`} />
      <div className="compare-setup">
        <ModelChooser models={s.models} selected={s.selected} max={MAX_COLUMNS} disabled={s.running} onToggle={s.toggleModel} />
        {choices !== null && choices.length < MIN_COLUMNS && (
          <div className="empty-panel">
            <EmptyState title={choices.length === 0 ? 'Nothing to compare yet' : 'Compare needs a second model'}>
              {choices.length === 0
                ? 'Compare sends one prompt to several models side by side. Add a provider first; its models appear here.'
                : `Compare needs at least ${MIN_COLUMNS} models or routes: offer more models of a provider, or add another one.`}
              <NextStep href="#providers">{choices.length === 0 ? 'Add a provider' : 'Add models'}</NextStep>
            </EmptyState>
          </div>
        )}
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
        {s.budgetWarning && <BudgetWarning message={s.budgetWarning} onDismiss={s.dismissWarning} />}
      </div>
      <RunArea store={store} client={client} />
      <RunList runs={s.runs} currentId={s.runId} disabled={s.running} onOpen={(id) => void s.openRun(id)} />
    </div>
  );
}
