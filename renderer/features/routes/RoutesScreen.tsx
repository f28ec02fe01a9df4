// Routes: create and edit them (strategy, ordered or weighted targets, timeouts), see each target's
// live health from the router (breaker, recent errors, time to first token, keys cooling down or
// retired and when they are next checked), and test a route with one click (a tiny chat through it
// that is not kept as a conversation).
import { useState } from 'react';
import type { HealthSnapshot, ModelChoice, RouteInfo } from '../../../shared/types';
import { formatCost, formatMs } from '../../lib/format';
import type { ScreenProps } from '../../lib/screen';
import { useLoad } from '../../lib/use-load';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { Badge, Card, LoadState, PageHeader } from '../../ui/Page';
import { BreakerBadge, recentErrors } from '../../ui/Health';
import { RouteEditor } from './components/RouteEditor';
import { keysOfTarget, TargetKeys } from './components/TargetKeys';

interface Loaded {
  routes: RouteInfo[];
  health: HealthSnapshot | null;
  models: ModelChoice[];
}

type TestState = { running: true } | { running: false; ok: boolean; text: string };

export function RoutesScreen({ client, active }: ScreenProps) {
  const { state, reload } = useLoad(async (): Promise<Loaded> => {
    const [routes, health, models] = await Promise.all([client.routes.list(), client.routes.health().catch(() => null), client.models.list()]);
    return { routes, health, models };
  }, active);
  const [editing, setEditing] = useState<string | null>(null);
  const [tests, setTests] = useState<Record<string, TestState>>({});
  const [error, setError] = useState<string | null>(null);

  const test = async (name: string) => {
    setTests((t) => ({ ...t, [name]: { running: true } }));
    let result: TestState = { running: false, ok: false, text: 'The test ended without an answer.' };
    let text = '';
    try {
      for await (const e of client.chat.stream({ model: name, messages: [{ role: 'user', content: 'Reply with the single word OK.' }], maxTokens: 16, ephemeral: true })) {
        if (e.type === 'delta') text += e.text;
        else if (e.type === 'done')
          result = { running: false, ok: true, text: `${e.provider}/${e.model} answered “${text.trim().slice(0, 40)}” · first token ${e.ttftMs === null ? '—' : formatMs(e.ttftMs)} · ${e.attempts > 1 ? `after ${e.attempts} attempts` : '1 attempt'} · ${formatCost(e.costUsd)}` };
        else if (e.type === 'error') result = { running: false, ok: false, text: e.message };
      }
    } catch (e) {
      result = { running: false, ok: false, text: (e as Error).message };
    }
    setTests((t) => ({ ...t, [name]: result }));
    reload();
  };

  const remove = async (name: string) => {
    try {
      await client.routes.remove(name);
      setError(null);
      reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div className="page">
      <PageHeader title="Routes" subtitle="A route is a model name your tools can use; it tries its targets in order and fails over on errors.">
        <Button variant="ghost" onClick={reload}>
          Refresh
        </Button>
        <Button variant="primary" onClick={() => setEditing('')} disabled={editing !== null}>
          New route
        </Button>
      </PageHeader>
      {error && <p role="alert">{error}</p>}
      <LoadState state={state} onRetry={reload}>
        {({ routes, health, models }) => (
          <>
            {editing === '' && <RouteEditor client={client} models={models} onCancel={() => setEditing(null)} onSaved={() => (setEditing(null), reload())} />}
            {routes.length === 0 && editing === null && <EmptyState title="No routes yet">Create one: a name your tools can ask for, and the models behind it.</EmptyState>}
            <div className="card-grid">
              {routes.map((r) =>
                editing === r.name ? (
                  <RouteEditor key={r.name} client={client} models={models} route={r} onCancel={() => setEditing(null)} onSaved={() => (setEditing(null), reload())} />
                ) : (
                  <Card
                    key={r.name}
                    label={`Route ${r.name}`}
                    title={<span className="mono">{r.name}</span>}
                    aside={<Badge tone="accent">{r.strategy}</Badge>}
                  >
                    <ol className="target-list">
                      {r.targets.map((t, i) => {
                        const h = health?.targets.find((x) => x.provider === t.provider && x.model === t.model);
                        const errs = recentErrors(h);
                        return (
                          <li key={`${t.provider}/${t.model}/${i}`} className="target-row">
                            <span className="target-rank" aria-hidden="true">
                              {i + 1}
                            </span>
                            <span className="mono">
                              {t.provider}/{t.model}
                            </span>
                            {r.strategy === 'weighted' ? <span className="muted small">weight {t.weight ?? 1}</span> : i === 0 ? <Badge tone="good">first</Badge> : <span className="muted small">fallback</span>}
                            <BreakerBadge h={h} />
                            {h?.ttftMs != null && <span className="muted small">first token {formatMs(h.ttftMs)}</span>}
                            {errs && <span className="small">recent errors {errs}</span>}
                            {health && <TargetKeys keys={keysOfTarget(health.keys, t.provider, t.model)} />}
                          </li>
                        );
                      })}
                    </ol>
                    {r.timeouts && (
                      <p className="muted small">
                        Timeouts: connect {formatMs(r.timeouts.connectMs)} · first token {formatMs(r.timeouts.firstTokenMs)} · idle {formatMs(r.timeouts.idleMs)} · total {formatMs(r.timeouts.totalMs)}
                      </p>
                    )}
                    <div className="card-actions">
                      <Button variant="secondary" className="btn-sm" aria-label={`Test route ${r.name}`} disabled={tests[r.name]?.running === true} onClick={() => void test(r.name)}>
                        Test
                      </Button>
                      <Button variant="ghost" className="btn-sm" aria-label={`Edit route ${r.name}`} disabled={editing !== null} onClick={() => setEditing(r.name)}>
                        Edit
                      </Button>
                      <Button variant="ghost" className="btn-sm" aria-label={`Delete route ${r.name}`} onClick={() => void remove(r.name)}>
                        Delete
                      </Button>
                    </div>
                    {tests[r.name] && (
                      <p role="status" className={`small route-test ${tests[r.name]!.running ? '' : (tests[r.name] as { ok: boolean }).ok ? 'good' : 'bad'}`}>
                        {tests[r.name]!.running ? 'Testing…' : `${(tests[r.name] as { ok: boolean }).ok ? '✓' : '✗'} ${(tests[r.name] as { text: string }).text}`}
                      </p>
                    )}
                  </Card>
                ),
              )}
            </div>
          </>
        )}
      </LoadState>
    </div>
  );
}
