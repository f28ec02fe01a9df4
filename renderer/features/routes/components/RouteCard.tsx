// One route as a card: its targets in the terms of its strategy (first and fallbacks in order; weights
// and their share; or a set of candidates the router picks from by cost or latency), each target's live
// health, the route's timeouts, and its actions: test, edit, and delete after a confirmation.
import { useState } from 'react';
import type { HealthSnapshot, RouteInfo } from '../../../../shared/types';
import { attr, focusSoon } from '../../../lib/focus';
import { formatDuration, formatMs } from '../../../lib/format';
import { Button } from '../../../ui/Button';
import { BreakerBadge, recentErrors } from '../../../ui/Health';
import { Badge, Card } from '../../../ui/Page';
import { keysOfTarget, TargetKeys } from './TargetKeys';

export type TestState = { running: true } | { running: false; ok: boolean; text: string };

const STRATEGY_NOTE: Record<RouteInfo['strategy'], string> = {
  fallback: 'tried in order',
  weighted: 'shared by weight',
  'lowest-latency': 'fastest first',
  'lowest-cost': 'cheapest first',
};

interface Props {
  route: RouteInfo;
  health: HealthSnapshot | null;
  test: TestState | undefined;
  /** Another editor is open: Edit waits. */
  editingOther: boolean;
  onTest(): void;
  onEdit(): void;
  onDelete(): Promise<void>;
}

export function RouteCard({ route: r, health, test, editingOther, onTest, onEdit, onDelete }: Props) {
  const [confirming, setConfirming] = useState(false);
  const ordered = r.strategy === 'fallback';
  const totalWeight = r.targets.reduce((a, t) => a + (t.weight ?? 1), 0);
  const List = ordered ? 'ol' : 'ul';
  // Leaving the confirmation puts focus back on the Delete button it replaced.
  const cancel = () => {
    setConfirming(false);
    focusSoon(`[aria-label=${attr(`Delete route ${r.name}`)}]`);
  };
  return (
    <Card label={`Route ${r.name}`} title={<span className="mono">{r.name}</span>} aside={<Badge tone="accent">{r.strategy}</Badge>}>
      <p className="muted small route-strategy-note">Targets {STRATEGY_NOTE[r.strategy]}.</p>
      <List className="target-list">
        {r.targets.map((t, i) => {
          const h = health?.targets.find((x) => x.provider === t.provider && x.model === t.model);
          const errs = recentErrors(h);
          return (
            <li key={`${t.provider}/${t.model}/${i}`} className="target-row">
              {/* A rank means something only where order does. */}
              {ordered && (
                <span className="target-rank" aria-hidden="true">
                  {i + 1}
                </span>
              )}
              <span className="mono">
                {t.provider}/{t.model}
              </span>
              {ordered && (i === 0 ? <Badge tone="accent">first</Badge> : <span className="muted small">fallback</span>)}
              {r.strategy === 'weighted' && (
                <span className="muted small nowrap">
                  weight {t.weight ?? 1} ({Math.round(((t.weight ?? 1) / Math.max(1, totalWeight)) * 100)}%)
                </span>
              )}
              <BreakerBadge h={h} />
              {h?.ttftMs != null && <span className="muted small nowrap">first token {formatMs(h.ttftMs)}</span>}
              {errs && <span className="small">recent errors {errs}</span>}
              {health && <TargetKeys keys={keysOfTarget(health.keys, t.provider, t.model)} />}
            </li>
          );
        })}
      </List>
      {r.timeouts && (
        <p className="muted small route-timeouts">
          Timeouts: <span className="nowrap">connect {formatDuration(r.timeouts.connectMs)}</span> ·{' '}
          <span className="nowrap">first token {formatDuration(r.timeouts.firstTokenMs)}</span> ·{' '}
          <span className="nowrap">idle {formatDuration(r.timeouts.idleMs)}</span> ·{' '}
          <span className="nowrap">total {formatDuration(r.timeouts.totalMs)}</span>
        </p>
      )}
      {confirming ? (
        <div
          className="card-actions route-confirm"
          role="group"
          aria-label={`Delete route ${r.name}?`}
          onKeyDown={(e) => e.key === 'Escape' && (e.preventDefault(), cancel())}
        >
          <span className="small">
            Delete <span className="mono">{r.name}</span>? Tools asking for it will get an error.
          </span>
          <Button variant="danger" className="btn-sm" onClick={() => void onDelete().then(cancel)}>
            Delete route
          </Button>
          {/* The safe choice takes focus, so Enter right after Delete does not delete. */}
          <Button variant="ghost" className="btn-sm" autoFocus onClick={cancel}>
            Keep it
          </Button>
        </div>
      ) : (
        <div className="card-actions">
          <Button
            variant="secondary"
            className="btn-sm"
            aria-label={`Test route ${r.name}`}
            disabled={test?.running === true}
            onClick={onTest}
          >
            Test
          </Button>
          <Button variant="ghost" className="btn-sm" aria-label={`Edit route ${r.name}`} disabled={editingOther} onClick={onEdit}>
            Edit
          </Button>
          <Button variant="ghost" className="btn-sm" aria-label={`Delete route ${r.name}`} onClick={() => setConfirming(true)}>
            Delete
          </Button>
        </div>
      )}
      {test && (
        <p role="status" className={`small route-test ${test.running ? '' : test.ok ? 'good' : 'bad'}`}>
          {test.running ? 'Testing…' : `${test.ok ? '✓' : '✗'} ${test.text}`}
        </p>
      )}
    </Card>
  );
}
