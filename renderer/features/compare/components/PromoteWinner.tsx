// Makes the compare winner the first target of a route in one click: the winner's provider/model
// (for a route column, the target that actually answered) moves to the front of the chosen route.
import { useEffect, useState } from 'react';
import type { AppContract } from '../../../../shared/contract';
import type { RouteInfo } from '../../../../shared/types';
import { Button } from '../../../ui/Button';
import type { CompareColumn } from '../compare-types';

/** The concrete target a column stands for: its `provider/model`, or what answered through a route. */
export function targetOf(column: CompareColumn): { provider: string; model: string } | null {
  if (column.report) return { provider: column.report.provider, model: column.report.model };
  const slash = column.model.indexOf('/');
  return slash > 0 ? { provider: column.model.slice(0, slash), model: column.model.slice(slash + 1) } : null;
}

export function PromoteWinner({ client, winner }: { client: AppContract; winner: CompareColumn }) {
  const [routes, setRoutes] = useState<RouteInfo[]>([]);
  const [route, setRoute] = useState('');
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const target = targetOf(winner);

  useEffect(() => {
    client.routes.list().then(
      (list) => {
        setRoutes(list);
        setRoute((r) => r || list[0]?.name || '');
      },
      (e: Error) => setNote({ ok: false, text: e.message }),
    );
  }, [client]);

  const promote = async () => {
    const r = routes.find((x) => x.name === route);
    if (!r || !target) return;
    const rest = r.targets.filter((t) => !(t.provider === target.provider && t.model === target.model));
    try {
      // Timeouts are left out so the route keeps its own.
      await client.routes.save({ name: r.name, strategy: r.strategy, targets: [target, ...rest] }, r.name);
      setNote({ ok: true, text: `${target.provider}/${target.model} is now the first target of ${r.name}.` });
      setRoutes(await client.routes.list());
    } catch (e) {
      setNote({ ok: false, text: (e as Error).message });
    }
  };

  if (!target) return <span className="muted small">The winner did not answer, so it cannot be promoted.</span>;
  return (
    <span className="promote">
      <label className="field-inline">
        <span>Route</span>
        <select aria-label="Route to promote into" value={route} onChange={(e) => setRoute(e.target.value)} disabled={routes.length === 0}>
          {routes.map((r) => (
            <option key={r.name} value={r.name}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      <Button variant="secondary" onClick={() => void promote()} disabled={!route}>
        Make it the first target
      </Button>
      {note && (
        <span role="status" className={`small ${note.ok ? 'good' : 'bad'}`}>
          {note.text}
        </span>
      )}
    </span>
  );
}
