// Adding or editing one budget: a name (spaces allowed), whom it covers (everyone, the app's own chat
// and compare, or one client token, picked from the tokens that exist), period, mode and limits.
// A name the engine would refuse is said in words before saving; Escape cancels.
import { useEffect, useRef, useState } from 'react';
import type { BudgetSpec, ClientTokenInfo } from '../../../../shared/types';
import { Button } from '../../../ui/Button';
import { ErrorNote } from '../../../ui/ErrorNote';

/** The client under which the app's own chat and compare requests are counted (the engine's APP_CLIENT). */
const APP_CLIENT = 'app';

/** Why a budget name cannot be saved, in words; null when it can (the engine's rule: letters, digits, spaces, . _ -). */
export function budgetNameProblem(name: string, others: string[]): string | null {
  if (!name) return 'Give the budget a name.';
  if (!/^[A-Za-z0-9]/.test(name)) return 'A budget name starts with a letter or a digit.';
  if (!/^[A-Za-z0-9 ._-]*$/.test(name)) return 'A budget name may hold letters, digits, spaces, dots, dashes and underscores only.';
  if (others.includes(name)) return `There is already a budget named “${name}”.`;
  return null;
}

interface Props {
  initial: BudgetSpec;
  /** Names of the other budgets (a name must be unique). */
  taken: string[];
  tokens: ClientTokenInfo[];
  onSave(b: BudgetSpec): void;
  onCancel(): void;
}

export function BudgetEditor({ initial, taken, tokens, onSave, onCancel }: Props) {
  const [b, setB] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  // A budget for a token that was revoked still shows whom it was for.
  const clients = [
    ...tokens.map((t) => t.name),
    ...(b.client && b.client !== APP_CLIENT && !tokens.some((t) => t.name === b.client) ? [b.client] : []),
  ];
  return (
    <form
      className="budget-editor"
      aria-label="Budget"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        }
      }}
      onSubmit={(e) => {
        e.preventDefault();
        const name = b.name.trim();
        const why = budgetNameProblem(name, taken);
        setProblem(why);
        if (!why) onSave({ ...b, name });
      }}
    >
      <label>
        Name
        <input
          ref={first}
          value={b.name}
          required
          placeholder="e.g. Team monthly"
          onChange={(e) => setB({ ...b, name: e.target.value })}
          aria-invalid={problem ? true : undefined}
        />
      </label>
      <label>
        Applies to
        <select value={b.client ?? ''} onChange={(e) => setB({ ...b, client: e.target.value || undefined })}>
          <option value="">Everyone (all requests)</option>
          <option value={APP_CLIENT}>This app (chat and compare)</option>
          {clients.map((name) => (
            <option key={name} value={name}>
              Token: {name}
              {tokens.some((t) => t.name === name) ? '' : ' (revoked)'}
            </option>
          ))}
        </select>
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
      <LimitField label="Limit in USD" step="any" value={b.usd} onChange={(usd) => setB({ ...b, usd })} />
      <LimitField label="Limit in tokens" step="1" value={b.tokens} onChange={(tokens) => setB({ ...b, tokens })} />
      <label className="switch budget-unpriced">
        <input
          type="checkbox"
          checked={b.allowUnpriced === true}
          onChange={(e) => setB({ ...b, allowUnpriced: e.target.checked || undefined })}
        />
        <span>Allow models without a known price (a hard USD budget refuses them otherwise: their cost cannot be counted)</span>
      </label>
      {problem && (
        <div className="budget-editor-actions">
          <ErrorNote>{problem}</ErrorNote>
        </div>
      )}
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

/** A limit of one kind; left empty, the budget has no limit of that kind. */
function LimitField(props: { label: string; step: string; value: number | undefined; onChange: (value: number | undefined) => void }) {
  return (
    <label>
      {props.label}
      <input
        type="number"
        min="0"
        step={props.step}
        value={props.value ?? ''}
        onChange={(e) => props.onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      />
    </label>
  );
}
