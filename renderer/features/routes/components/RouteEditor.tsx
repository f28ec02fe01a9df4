// Creating or editing a route: name, strategy, targets (ordered for fallback, weighted for weighted, a
// plain set for the cost and latency strategies), each at most once, and per-route timeouts in seconds.
// Saved with routes.save, which validates the whole config. Escape cancels.
import { useEffect, useRef, useState } from 'react';
import type { AppContract } from '../../../../shared/contract';
import type { ModelChoice, RouteInfo, RouteInput, RouteStrategy, RouteTimeouts } from '../../../../shared/types';
import { formatDuration } from '../../../lib/format';
import { Button } from '../../../ui/Button';
import { ErrorNote } from '../../../ui/ErrorNote';
import { ModelPicker } from '../../../ui/ModelPicker';

const STRATEGIES: Array<{ value: RouteStrategy; label: string; targets: string }> = [
  { value: 'fallback', label: 'Fallback: in order', targets: 'Targets, in order (the first healthy one answers)' },
  { value: 'weighted', label: 'Weighted: share traffic', targets: 'Targets and their weights' },
  { value: 'lowest-latency', label: 'Lowest latency', targets: 'Targets (the fastest is tried first; order does not matter)' },
  { value: 'lowest-cost', label: 'Lowest cost', targets: 'Targets (the cheapest is tried first; order does not matter)' },
];

const TIMEOUTS: Array<{ key: keyof RouteTimeouts; label: string }> = [
  { key: 'connectMs', label: 'Connect (seconds)' },
  { key: 'firstTokenMs', label: 'First token (seconds)' },
  { key: 'idleMs', label: 'Idle between tokens (seconds)' },
  { key: 'totalMs', label: 'Total (seconds)' },
];

interface Props {
  client: AppContract;
  models: ModelChoice[];
  /** The route being edited; absent for a new one. */
  route?: RouteInfo;
  /** Called with the route's name as saved. */
  onSaved(name: string): void;
  onCancel(): void;
}

type Target = { provider: string; model: string; weight?: number };
const idOf = (t: Target) => `${t.provider}/${t.model}`;

/** Seconds as typed -> whole milliseconds (empty: the default). */
const toMs = (text: string): number | undefined => (text.trim() === '' ? undefined : Math.round(Number(text) * 1000));
const toSeconds = (ms: number | undefined): string => (ms === undefined ? '' : String(ms / 1000));

export function RouteEditor({ client, models, route, onSaved, onCancel }: Props) {
  const [name, setName] = useState(route?.name ?? '');
  const [strategy, setStrategy] = useState<RouteStrategy>(route?.strategy ?? 'fallback');
  const [targets, setTargets] = useState<Target[]>(route?.targets.map((t) => ({ ...t })) ?? []);
  const [seconds, setSeconds] = useState<Record<keyof RouteTimeouts, string>>(() => ({
    connectMs: toSeconds(route?.configuredTimeouts?.connectMs),
    firstTokenMs: toSeconds(route?.configuredTimeouts?.firstTokenMs),
    idleMs: toSeconds(route?.configuredTimeouts?.idleMs),
    totalMs: toSeconds(route?.configuredTimeouts?.totalMs),
  }));
  const [error, setError] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  // A target can be in a route once: the picker offers only the models not in it yet.
  const addable = models.filter((m) => m.kind === 'model' && !targets.some((t) => idOf(t) === m.id));
  const ordered = strategy === 'fallback';

  const move = (i: number, by: number) =>
    setTargets((list) => {
      const next = [...list];
      const [t] = next.splice(i, 1);
      next.splice(i + by, 0, t!);
      return next;
    });

  const save = async () => {
    const ids = targets.map(idOf);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice) return setError(`${twice} is in the route twice: keep it once.`);
    const timeouts: RouteTimeouts = {};
    for (const t of TIMEOUTS) {
      const ms = toMs(seconds[t.key]);
      if (ms !== undefined && !(ms > 0))
        return setError(`${t.label.replace(' (seconds)', '')}: give a number of seconds above 0, or leave it empty for the default.`);
      if (ms !== undefined) timeouts[t.key] = ms;
    }
    const input: RouteInput = { name: name.trim(), strategy, targets, timeouts };
    try {
      await client.routes.save(input, route?.name);
      onSaved(input.name);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <form
      className="form-grid card route-editor"
      aria-label={route ? `Edit route ${route.name}` : 'New route'}
      onKeyDown={(e) => {
        // Escape cancels, unless an open list inside (the model picker) takes it first.
        if (e.key === 'Escape' && !e.defaultPrevented) {
          e.preventDefault();
          onCancel();
        }
      }}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label>
        Route name
        <input ref={first} value={name} required onChange={(e) => setName(e.target.value)} />
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
        <legend>{STRATEGIES.find((s) => s.value === strategy)!.targets}</legend>
        <ol className={ordered ? undefined : 'unordered'}>
          {targets.map((t, i) => (
            <li key={idOf(t)} className="target-row">
              <span className="mono">{idOf(t)}</span>
              {strategy === 'weighted' && (
                <input
                  type="number"
                  min="0"
                  step="any"
                  aria-label={`Weight of ${idOf(t)}`}
                  value={t.weight ?? 1}
                  onChange={(e) => setTargets(targets.map((x, j) => (j === i ? { ...x, weight: Number(e.target.value) || undefined } : x)))}
                />
              )}
              {ordered && (
                <>
                  <Button
                    variant="ghost"
                    className="btn-sm"
                    aria-label={`Move ${idOf(t)} up`}
                    disabled={i === 0}
                    onClick={() => move(i, -1)}
                  >
                    ↑
                  </Button>
                  <Button
                    variant="ghost"
                    className="btn-sm"
                    aria-label={`Move ${idOf(t)} down`}
                    disabled={i === targets.length - 1}
                    onClick={() => move(i, 1)}
                  >
                    ↓
                  </Button>
                </>
              )}
              <Button
                variant="ghost"
                className="btn-sm"
                aria-label={`Remove ${idOf(t)}`}
                onClick={() => setTargets(targets.filter((_, j) => j !== i))}
              >
                Remove
              </Button>
            </li>
          ))}
        </ol>
        <div className="target-add">
          <ModelPicker
            models={addable}
            value=""
            label="Target to add"
            disabled={addable.length === 0}
            onChange={(id) => {
              const slash = id.indexOf('/');
              if (slash > 0) setTargets([...targets, { provider: id.slice(0, slash), model: id.slice(slash + 1) }]);
            }}
          />
          {addable.length === 0 && targets.length > 0 && <span className="muted small">Every model is in this route.</span>}
        </div>
      </fieldset>
      {TIMEOUTS.map((t) => (
        <label key={t.key}>
          {t.label}
          <input
            type="number"
            min="0.1"
            step="any"
            inputMode="decimal"
            placeholder={route?.timeouts ? `default ${formatDuration(route.timeouts[t.key])}` : 'default'}
            value={seconds[t.key]}
            onChange={(e) => setSeconds({ ...seconds, [t.key]: e.target.value })}
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
