// Puts the compare winner to work in a route in one click, in the terms of the route's strategy: the
// first target of a fallback route, the largest weight of a weighted one. Routes that pick by cost or
// latency ignore order and weight, so they are not offered. For a route column, the target is the one
// that actually answered.
import { useEffect, useState } from 'react';
import type { AppContract } from '../../../../shared/contract';
import type { RouteInfo, RouteInput, RouteTarget } from '../../../../shared/types';
import { Button } from '../../../ui/Button';
import type { CompareColumn } from '../compare-types';

type Target = { provider: string; model: string };

/** The concrete target a column stands for: its `provider/model`, or what answered through a route. */
export function targetOf(column: CompareColumn): Target | null {
  if (column.report) return { provider: column.report.provider, model: column.report.model };
  const slash = column.model.indexOf('/');
  return slash > 0 ? { provider: column.model.slice(0, slash), model: column.model.slice(slash + 1) } : null;
}

const same = (a: Target) => (b: Target) => a.provider === b.provider && a.model === b.model;
const weightOf = (t: RouteTarget) => t.weight ?? 1;

/** The route with the winner promoted, the button's words and what to say after; null when nothing would change. */
export function promotion(route: RouteInfo, target: Target): { input: RouteInput; action: string; done: string } | null {
  const name = `${target.provider}/${target.model}`;
  if (route.strategy === 'fallback') {
    if (route.targets[0] && same(target)(route.targets[0])) return null;
    const rest = route.targets.filter((t) => !same(target)(t));
    // Timeouts are left out so the route keeps its own.
    return {
      input: { name: route.name, strategy: route.strategy, targets: [target, ...rest] },
      action: 'Make it the first target',
      done: `${name} is now the first target of ${route.name}.`,
    };
  }
  if (route.strategy === 'weighted') {
    const others = route.targets.filter((t) => !same(target)(t));
    const top = Math.max(0, ...others.map(weightOf));
    const current = route.targets.find(same(target));
    if (current && weightOf(current) > top) return null;
    // Twice the next largest weight: it takes the biggest share, and the others keep theirs.
    const weight = Math.max(1, top * 2);
    const targets = current
      ? route.targets.map((t) => (same(target)(t) ? { ...t, weight } : t))
      : [...route.targets, { ...target, weight }];
    const total = targets.reduce((a, t) => a + weightOf(t), 0);
    return {
      input: { name: route.name, strategy: route.strategy, targets },
      action: current ? 'Raise its weight' : 'Add it with the largest weight',
      done: `${name} now has weight ${weight} in ${route.name} (about ${Math.round((weight / total) * 100)}% of requests).`,
    };
  }
  return null;
}

/** Strategies where the order or weight of targets means something. */
const promotable = (r: RouteInfo) => r.strategy === 'fallback' || r.strategy === 'weighted';

export function PromoteWinner({ client, winner }: { client: AppContract; winner: CompareColumn }) {
  const [routes, setRoutes] = useState<RouteInfo[]>([]);
  const [route, setRoute] = useState('');
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const target = targetOf(winner);

  useEffect(() => {
    client.routes.list().then(
      (list) => {
        const usable = list.filter(promotable);
        setRoutes(usable);
        setRoute((r) => r || usable[0]?.name || '');
      },
      (e: Error) => setNote({ ok: false, text: e.message }),
    );
  }, [client]);

  const chosen = routes.find((x) => x.name === route);
  const plan = chosen && target ? promotion(chosen, target) : null;

  const promote = async () => {
    if (!plan) return;
    try {
      await client.routes.save(plan.input, plan.input.name);
      setNote({ ok: true, text: plan.done });
      setRoutes((await client.routes.list()).filter(promotable));
    } catch (e) {
      setNote({ ok: false, text: (e as Error).message });
    }
  };

  if (!target) return <span className="muted small">The winner did not answer, so it cannot be promoted.</span>;
  if (routes.length === 0)
    return note ? (
      <span className="small bad">{note.text}</span>
    ) : (
      <span className="muted small">No fallback or weighted route to promote it into.</span>
    );
  return (
    <span className="promote">
      <label className="field-inline">
        <span>Route</span>
        <select aria-label="Route to promote into" value={route} onChange={(e) => (setRoute(e.target.value), setNote(null))}>
          {routes.map((r) => (
            <option key={r.name} value={r.name}>
              {r.name} ({r.strategy})
            </option>
          ))}
        </select>
      </label>
      {plan ? (
        <Button variant="secondary" onClick={() => void promote()}>
          {plan.action}
        </Button>
      ) : (
        !note && (
          <span className="muted small">
            {chosen?.strategy === 'weighted' ? 'It already has the largest weight there.' : 'It is already the first target there.'}
          </span>
        )
      )}
      {note && (
        <span role="status" className={`small ${note.ok ? 'good' : 'bad'}`}>
          {note.text}
        </span>
      )}
    </span>
  );
}
