// Budgets: where each stands in its period (a progress bar per limit) and a small editor; the
// whole list is saved at once (budgets.set validates it, and a bad list changes nothing). The
// percentage is the engine's own (shared/format percentUsed), so the bar and the message agree.
import { useEffect, useState } from 'react';
import { percentUsed } from '../../../../shared/format';
import type { AppContract } from '../../../../shared/contract';
import type { BudgetSpec, BudgetStatus } from '../../../../shared/types';
import { formatTokens, formatTotal } from '../../../lib/format';
import { Button } from '../../../ui/Button';
import { ErrorNote } from '../../../ui/ErrorNote';
import { Card } from '../../../ui/Page';

function Progress({ label, used, limit, format, state, note }: { label: string; used: number; limit: number; format(v: number): string; state: BudgetStatus['state']; note?: string }) {
  // The text says the real share (125% when over); only the bar stops at its end.
  const pct = percentUsed(used, limit);
  const bar = Math.min(100, pct);
  return (
    <div className="budget-progress">
      <div className="budget-progress-text">
        {format(used)} of {format(limit)} <span className="muted">({pct}%)</span>
        {note && <span className="muted small"> {note}</span>}
      </div>
      <div className={`progress progress-${state}`} role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={bar} aria-valuetext={`${pct}% used`}>
        <span style={{ width: `${bar}%` }} />
      </div>
    </div>
  );
}

/** What the dollar bar leaves out or holds: requests of unknown cost, and worst cases of requests in flight. */
function usdNote(s: BudgetStatus): string | undefined {
  const parts: string[] = [];
  if (s.unknownCostRequests > 0) parts.push(`+ ${formatTokens(s.unknownCostRequests)} request${s.unknownCostRequests === 1 ? '' : 's'} of unknown cost`);
  if (s.reservedUsd > 0) parts.push(`${formatTotal(s.reservedUsd)} held by requests in flight`);
  return parts.length ? `· ${parts.join(' · ')}` : undefined;
}

const EMPTY: BudgetSpec = { name: '', period: 'monthly', mode: 'soft', usd: 10 };

function Editor({ initial, onSave, onCancel }: { initial: BudgetSpec; onSave(b: BudgetSpec): void; onCancel(): void }) {
  const [b, setB] = useState(initial);
  return (
    <form
      className="budget-editor"
      aria-label="Budget"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(b);
      }}
    >
      <label>
        Name
        <input value={b.name} required onChange={(e) => setB({ ...b, name: e.target.value })} />
      </label>
      <label>
        Client token (empty: everyone)
        <input value={b.client ?? ''} onChange={(e) => setB({ ...b, client: e.target.value || undefined })} />
      </label>
      <label>
        Period
        <select value={b.period} onChange={(e) => setB({ ...b, period: e.target.value as BudgetSpec['period'] })}>
          <option value="daily">Daily</option>
          <option value="monthly">Monthly</option>
        </select>
      </label>
      <label>
        When reached
        <select value={b.mode} onChange={(e) => setB({ ...b, mode: e.target.value as BudgetSpec['mode'] })}>
          <option value="soft">Warn (soft)</option>
          <option value="hard">Refuse requests (hard)</option>
        </select>
      </label>
      <label>
        Limit in USD
        <input type="number" min="0" step="any" value={b.usd ?? ''} onChange={(e) => setB({ ...b, usd: e.target.value === '' ? undefined : Number(e.target.value) })} />
      </label>
      <label>
        Limit in tokens
        <input type="number" min="0" step="1" value={b.tokens ?? ''} onChange={(e) => setB({ ...b, tokens: e.target.value === '' ? undefined : Number(e.target.value) })} />
      </label>
      <label className="switch budget-unpriced">
        <input type="checkbox" checked={b.allowUnpriced === true} onChange={(e) => setB({ ...b, allowUnpriced: e.target.checked || undefined })} />
        <span>Allow models without a known price (a hard USD budget refuses them otherwise: their cost cannot be counted)</span>
      </label>
      <div className="budget-editor-actions">
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
        <Button variant="primary" type="submit">
          Save budget
        </Button>
      </div>
    </form>
  );
}

export function BudgetsCard({ client, tick }: { client: AppContract; tick: number }) {
  const [specs, setSpecs] = useState<BudgetSpec[]>([]);
  const [status, setStatus] = useState<BudgetStatus[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ index: number; spec: BudgetSpec } | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    Promise.all([client.budgets.list(), client.budgets.status()]).then(
      ([l, s]) => live && (setSpecs(l), setStatus(s)),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [client, tick, reload]);

  const save = async (next: BudgetSpec[]) => {
    try {
      await client.budgets.set(next);
      setEditing(null);
      setError(null);
      setReload((r) => r + 1);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <Card
      label="Budgets"
      title="Budgets"
      aside={
        <Button variant="secondary" onClick={() => setEditing({ index: -1, spec: EMPTY })} disabled={editing !== null}>
          Add budget
        </Button>
      }
    >
      {error && <ErrorNote>{error}</ErrorNote>}
      {editing && (
        <Editor
          initial={editing.spec}
          onCancel={() => setEditing(null)}
          onSave={(b) => void save(editing.index < 0 ? [...specs, b] : specs.map((s, i) => (i === editing.index ? b : s)))}
        />
      )}
      {specs.length === 0 && !editing && <p className="muted">No budgets yet. A soft budget warns when it is reached; a hard one refuses requests.</p>}
      <ul className="budget-list">
        {specs.map((spec, i) => {
          const s = status.find((x) => x.name === spec.name);
          return (
            <li key={spec.name} className="budget-item" data-testid="budget">
              <div className="budget-head">
                <strong>{spec.name}</strong>
                <span className="muted small">
                  {spec.period} · {spec.mode === 'hard' ? 'refuses when reached' : 'warns when reached'} · {spec.client ? `client ${spec.client}` : 'everyone'}
                  {spec.mode === 'hard' && spec.usd !== undefined && (spec.allowUnpriced ? ' · lets unpriced models through' : ' · refuses unpriced models')}
                </span>
                <span className="toolbar-spacer" />
                <Button variant="ghost" className="btn-sm" aria-label={`Edit budget ${spec.name}`} onClick={() => setEditing({ index: i, spec })} disabled={editing !== null}>
                  Edit
                </Button>
                <Button variant="ghost" className="btn-sm" aria-label={`Delete budget ${spec.name}`} onClick={() => void save(specs.filter((_, j) => j !== i))}>
                  Delete
                </Button>
              </div>
              {s && s.limitUsd !== undefined && <Progress label={`${spec.name}: dollars used`} used={s.knownSpentUsd} limit={s.limitUsd} format={formatTotal} state={s.state} note={usdNote(s)} />}
              {s && s.limitTokens !== undefined && <Progress label={`${spec.name}: tokens used`} used={s.spentTokens} limit={s.limitTokens} format={formatTokens} state={s.state} />}
              {s?.message && <p className="small">{s.message}</p>}
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
