// Creating or editing a route: name, strategy, targets in order (move up/down, remove, weights when
// weighted) and per-route timeouts. Saved with routes.save, which validates the whole config.
import { useState } from 'react';
import type { AppContract } from '../../../../shared/contract';
import type { ModelChoice, RouteInfo, RouteInput, RouteStrategy, RouteTimeouts } from '../../../../shared/types';
import { Button } from '../../../ui/Button';
import { ErrorNote } from '../../../ui/ErrorNote';

const STRATEGIES: Array<{ value: RouteStrategy; label: string }> = [
  { value: 'fallback', label: 'Fallback: in order' },
  { value: 'weighted', label: 'Weighted: share traffic' },
  { value: 'lowest-latency', label: 'Lowest latency' },
  { value: 'lowest-cost', label: 'Lowest cost' },
];

const TIMEOUTS: Array<{ key: keyof RouteTimeouts; label: string }> = [
  { key: 'connectMs', label: 'Connect (ms)' },
  { key: 'firstTokenMs', label: 'First token (ms)' },
  { key: 'idleMs', label: 'Idle between tokens (ms)' },
  { key: 'totalMs', label: 'Total (ms)' },
];

interface Props {
  client: AppContract;
  models: ModelChoice[];
  /** The route being edited; absent for a new one. */
  route?: RouteInfo;
  onSaved(): void;
  onCancel(): void;
}

type Target = { provider: string; model: string; weight?: number };

export function RouteEditor({ client, models, route, onSaved, onCancel }: Props) {
  const choices = models.filter((m) => m.kind === 'model').map((m) => m.id);
  const [name, setName] = useState(route?.name ?? '');
  const [strategy, setStrategy] = useState<RouteStrategy>(route?.strategy ?? 'fallback');
  const [targets, setTargets] = useState<Target[]>(route?.targets.map((t) => ({ ...t })) ?? []);
  const [timeouts, setTimeouts] = useState<RouteTimeouts>(route?.configuredTimeouts ?? {});
  const [adding, setAdding] = useState(choices[0] ?? '');
  const [error, setError] = useState<string | null>(null);

  const move = (i: number, by: number) =>
    setTargets((list) => {
      const next = [...list];
      const [t] = next.splice(i, 1);
      next.splice(i + by, 0, t!);
      return next;
    });

  const save = async () => {
    const input: RouteInput = { name: name.trim(), strategy, targets, timeouts };
    try {
      await client.routes.save(input, route?.name);
      onSaved();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <form
      className="form-grid card route-editor"
      aria-label={route ? `Edit route ${route.name}` : 'New route'}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label>
        Route name
        <input value={name} required onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Strategy
        <select value={strategy} onChange={(e) => setStrategy(e.target.value as RouteStrategy)}>
          {STRATEGIES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="route-targets">
        <legend>Targets, in order</legend>
        <ol>
          {targets.map((t, i) => (
            <li key={`${t.provider}/${t.model}/${i}`} className="target-row">
              <span className="mono">
                {t.provider}/{t.model}
              </span>
              {strategy === 'weighted' && (
                <input
                  type="number"
                  min="0"
                  step="any"
                  aria-label={`Weight of ${t.provider}/${t.model}`}
                  value={t.weight ?? 1}
                  onChange={(e) => setTargets(targets.map((x, j) => (j === i ? { ...x, weight: Number(e.target.value) || undefined } : x)))}
                />
              )}
              <Button variant="ghost" className="btn-sm" aria-label={`Move ${t.provider}/${t.model} up`} disabled={i === 0} onClick={() => move(i, -1)}>
                ↑
              </Button>
              <Button variant="ghost" className="btn-sm" aria-label={`Move ${t.provider}/${t.model} down`} disabled={i === targets.length - 1} onClick={() => move(i, 1)}>
                ↓
              </Button>
              <Button variant="ghost" className="btn-sm" aria-label={`Remove ${t.provider}/${t.model}`} onClick={() => setTargets(targets.filter((_, j) => j !== i))}>
                Remove
              </Button>
            </li>
          ))}
        </ol>
        <div className="target-add">
          <select aria-label="Target to add" value={adding} onChange={(e) => setAdding(e.target.value)}>
            {choices.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          <Button
            variant="secondary"
            className="btn-sm"
            disabled={!adding}
            onClick={() => {
              const slash = adding.indexOf('/');
              setTargets([...targets, { provider: adding.slice(0, slash), model: adding.slice(slash + 1) }]);
            }}
          >
            Add target
          </Button>
        </div>
      </fieldset>
      {TIMEOUTS.map((t) => (
        <label key={t.key}>
          {t.label}
          <input
            type="number"
            min="1"
            step="1"
            placeholder={route?.timeouts ? `default ${route.timeouts[t.key]}` : 'default'}
            value={timeouts[t.key] ?? ''}
            onChange={(e) => setTimeouts({ ...timeouts, [t.key]: e.target.value === '' ? undefined : Number(e.target.value) })}
          />
        </label>
      ))}
      {error && (
        <div className="form-actions">
          <ErrorNote>{error}</ErrorNote>
        </div>
      )}
      <div className="form-actions">
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
        <Button variant="primary" type="submit" disabled={targets.length === 0 || !name.trim()}>
          Save route
        </Button>
      </div>
    </form>
  );
}
