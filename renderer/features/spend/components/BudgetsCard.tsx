// Budgets: where each stands in its period (one percentage per budget, the engine's own, rounded by
// shared/format percentUsed, so the badge, the bars and the engine's messages agree), and an editor;
// the whole list is saved at once (budgets.set validates it, and a bad list changes nothing).
import { useState } from 'react';
import { percentUsed } from '../../../../shared/format';
import type { AppContract } from '../../../../shared/contract';
import type { BudgetSpec, BudgetStatus } from '../../../../shared/types';
import { attr, focusSoon } from '../../../lib/focus';
import { formatTokens, formatTotal } from '../../../lib/format';
import { useLoad } from '../../../lib/use-load';
import { Button } from '../../../ui/Button';
import { ErrorNote } from '../../../ui/ErrorNote';
import { Badge, Card } from '../../../ui/Page';
import { BudgetEditor } from './BudgetEditor';

function Progress({
  label,
  used,
  limit,
  format,
  state,
  note,
}: {
  label: string;
  used: number;
  limit: number;
  format(v: number): string;
  state: BudgetStatus['state'];
  note?: string;
}) {
  // The bar stops at its end; the percentage beside the budget's name says the real share (125% when over).
  const pct = percentUsed(used, limit);
  const bar = Math.min(100, pct);
  return (
    <div className="budget-progress">
      <div className="budget-progress-text">
        {format(used)} of {format(limit)}
        {note && <span className="muted small"> {note}</span>}
      </div>
      <div
        className={`progress progress-${state}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={bar}
        aria-valuetext={`${pct}% used`}
      >
        <span style={{ width: `${bar}%` }} />
      </div>
    </div>
  );
}

/** What the dollar bar leaves out or holds: requests of unknown cost, and worst cases of requests in flight. */
function usdNote(s: BudgetStatus): string | undefined {
  const parts: string[] = [];
  if (s.unknownCostRequests > 0)
    parts.push(`+ ${formatTokens(s.unknownCostRequests)} request${s.unknownCostRequests === 1 ? '' : 's'} of unknown cost`);
  if (s.reservedUsd > 0) parts.push(`${formatTotal(s.reservedUsd)} held by requests in flight`);
  return parts.length ? `· ${parts.join(' · ')}` : undefined;
}

const STATE_WORDS: Record<BudgetStatus['state'], { tone: 'good' | 'warn' | 'bad'; hard: string; soft: string }> = {
  ok: { tone: 'good', hard: 'used', soft: 'used' },
  near: { tone: 'warn', hard: 'used, near the limit', soft: 'used, near the limit' },
  over: { tone: 'bad', hard: 'used, refusing requests', soft: 'used, warning' },
};

const whom = (client: string | undefined) => (client === undefined ? 'everyone' : client === 'app' ? 'this app' : `token ${client}`);
const EMPTY: BudgetSpec = { name: '', period: 'monthly', mode: 'soft', usd: 10 };

export function BudgetsCard({ client, tick }: { client: AppContract; tick: number }) {
  const { state, data, reload } = useLoad(
    async () => {
      const [specs, status, tokens] = await Promise.all([client.budgets.list(), client.budgets.status(), client.tokens.list()]);
      return { specs, status, tokens };
    },
    true,
    tick,
  );
  const specs = data?.specs ?? [];
  const status = data?.status ?? [];
  const tokens = data?.tokens ?? [];
  const [saveError, setSaveError] = useState<string | null>(null);
  const error = saveError ?? (state.status === 'error' ? state.error : null);
  const [editing, setEditing] = useState<{ index: number; spec: BudgetSpec } | null>(null);

  /** Closes the editor and gives focus back to what opened it (its Edit button, or Add budget). */
  const close = (name?: string) => {
    setEditing(null);
    focusSoon(name ? `[aria-label=${attr(`Edit budget ${name}`)}]` : '[data-budget-add]');
  };

  const save = async (next: BudgetSpec[], focusName?: string) => {
    try {
      await client.budgets.set(next);
      setSaveError(null);
      reload();
      close(focusName);
    } catch (e) {
      setSaveError((e as Error).message);
    }
  };

  return (
    <Card
      label="Budgets"
      title="Budgets"
      aside={
        <Button variant="secondary" data-budget-add onClick={() => setEditing({ index: -1, spec: EMPTY })} disabled={editing !== null}>
          Add budget
        </Button>
      }
    >
      {error && <ErrorNote>{error}</ErrorNote>}
      {editing && (
        <BudgetEditor
          initial={editing.spec}
          taken={specs.filter((_, i) => i !== editing.index).map((s) => s.name)}
          tokens={tokens}
          onCancel={() => close(editing.index < 0 ? undefined : editing.spec.name)}
          onSave={(b) => void save(editing.index < 0 ? [...specs, b] : specs.map((s, i) => (i === editing.index ? b : s)), b.name)}
        />
      )}
      {specs.length === 0 && !editing && (
        <p className="muted">No budgets yet. A soft budget warns when it is reached; a hard one refuses requests.</p>
      )}
      <ul className="budget-list">
        {specs.map((spec, i) => {
          const s = status.find((x) => x.name === spec.name);
          const words = s ? STATE_WORDS[s.state] : null;
          return (
            <li key={spec.name} className="budget-item" data-testid="budget">
              <div className="budget-head">
                <strong>{spec.name}</strong>
                {s && words && (
                  <Badge tone={words.tone}>
                    {/* A no-break space: a plain one between the two would collapse inside the badge's flex box. */}
                    <span data-testid="budget-percent">{s.percent}%</span>
                    {`\u00a0${spec.mode === 'hard' ? words.hard : words.soft}`}
                  </Badge>
                )}
                <span className="muted small">
                  {spec.period} · {spec.mode === 'hard' ? 'refuses when reached' : 'warns when reached'} · {whom(spec.client)}
                  {spec.mode === 'hard' &&
                    spec.usd !== undefined &&
                    (spec.allowUnpriced ? ' · lets unpriced models through' : ' · refuses unpriced models')}
                </span>
                <span className="toolbar-spacer" />
                <Button
                  variant="ghost"
                  className="btn-sm"
                  aria-label={`Edit budget ${spec.name}`}
                  onClick={() => setEditing({ index: i, spec })}
                  disabled={editing !== null}
                >
                  Edit
                </Button>
                <Button
                  variant="ghost"
                  className="btn-sm"
                  aria-label={`Delete budget ${spec.name}`}
                  onClick={() => void save(specs.filter((_, j) => j !== i))}
                >
                  Delete
                </Button>
              </div>
              {s && s.limitUsd !== undefined && (
                <Progress
                  label={`${spec.name}: dollars used`}
                  used={s.knownSpentUsd}
                  limit={s.limitUsd}
                  format={formatTotal}
                  state={s.state}
                  note={usdNote(s)}
                />
              )}
              {s && s.limitTokens !== undefined && (
                <Progress
                  label={`${spec.name}: tokens used`}
                  used={s.spentTokens}
                  limit={s.limitTokens}
                  format={formatTokens}
                  state={s.state}
                />
              )}
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
