// Routes: create and edit them (strategy, ordered or weighted targets, timeouts), see each target's
// live health from the router (breaker, recent errors, time to first token, keys cooling down or
// retired and when they are next checked), and test a route with one click (a tiny chat through it
// that is not kept as a conversation).
import { useState } from 'react';
import type { HealthSnapshot, ModelChoice, RouteInfo } from '../../../shared/types';
import { attr, focusHeading, focusSoon } from '../../lib/focus';
import { excerpt, formatCost, formatMs } from '../../lib/format';
import type { ScreenProps } from '../../lib/screen';
import { useChanges } from '../../lib/changes';
import { useLoad } from '../../lib/use-load';
import { NextStep } from '../../ui/NextStep';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { LoadState, PageHeader } from '../../ui/Page';
import { RouteEditor } from './components/RouteEditor';
import { RouteCard, type TestState } from './components/RouteCard';
import './routes.css';

interface Loaded {
  routes: RouteInfo[];
  health: HealthSnapshot | null;
  models: ModelChoice[];
}

export function RoutesScreen({ client, active }: ScreenProps) {
  // Routes and the providers behind them update live, wherever they are changed.
  const changed = useChanges(client, ['routes', 'providers', 'keys']);
  const { state, reload } = useLoad(
    async (): Promise<Loaded> => {
      const [routes, health, models] = await Promise.all([
        client.routes.list(),
        client.routes.health().catch(() => null),
        client.models.list(),
      ]);
      return { routes, health, models };
    },
    active,
    changed,
  );
  const [editing, setEditing] = useState<string | null>(null);
  const [tests, setTests] = useState<Record<string, TestState>>({});
  const [error, setError] = useState<string | null>(null);

  const test = async (name: string) => {
    setTests((t) => ({ ...t, [name]: { running: true } }));
    let result: TestState = { running: false, ok: false, text: 'The test ended without an answer.' };
    let text = '';
    try {
      for await (const e of client.chat.stream({
        model: name,
        messages: [{ role: 'user', content: 'Reply with the single word OK.' }],
        maxTokens: 16,
        ephemeral: true,
      })) {
        if (e.type === 'delta') text += e.text;
        else if (e.type === 'done')
          result = {
            running: false,
            ok: true,
            text: `${e.provider}/${e.model} answered “${excerpt(text, 60)}” · first token ${e.ttftMs === null ? '—' : formatMs(e.ttftMs)} · ${e.attempts > 1 ? `after ${e.attempts} attempts` : '1 attempt'} · ${formatCost(e.costUsd)}`,
          };
        else if (e.type === 'error') result = { running: false, ok: false, text: e.message };
      }
    } catch (e) {
      result = { running: false, ok: false, text: (e as Error).message };
    }
    setTests((t) => ({ ...t, [name]: result }));
    reload();
  };

  /** Closes the editor; focus goes back to the route's Edit button (or New route), never to <body>. */
  const closeEditor = (name?: string) => {
    setEditing(null);
    focusSoon(name ? `[aria-label=${attr(`Edit route ${name}`)}]` : '[data-route-new]');
  };

  const remove = async (name: string) => {
    try {
      await client.routes.remove(name);
      setError(null);
      reload();
      // The card is gone: the screen's heading takes focus rather than <body>.
      focusHeading('[data-screen="routes"]');
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div className="page">
      <PageHeader
        title="Routes"
        subtitle="A route is a model name your tools can use, with models behind it (tried in order, shared by weight, or picked by cost or speed) that fail over on errors."
      >
        <Button variant="ghost" onClick={reload}>
          Refresh
        </Button>
        <Button variant="primary" data-route-new onClick={() => setEditing('')} disabled={editing !== null}>
          New route
        </Button>
      </PageHeader>
      {error && <p role="alert">{error}</p>}
      <LoadState state={state} onRetry={reload}>
        {({ routes, health, models }) => (
          <>
            {editing === '' && (
              <RouteEditor
                client={client}
                models={models}
                onCancel={() => closeEditor()}
                onSaved={(name) => (closeEditor(name), reload())}
              />
            )}
            {routes.length === 0 &&
              editing === null &&
              (models.length === 0 ? (
                <EmptyState title="Routes need a provider first">
                  A route is a name your tools ask for, with models behind it that fail over. Add a provider, then its models can go into
                  routes.
                  <NextStep href="#providers">Add a provider</NextStep>
                </EmptyState>
              ) : (
                <EmptyState title="No routes yet">
                  Create one: a name your tools can ask for (like <span className="mono">default</span>), and the models behind it, tried in
                  order.
                  <div className="next-step">
                    <Button variant="primary" onClick={() => setEditing('')}>
                      Create a route
                    </Button>
                  </div>
                </EmptyState>
              ))}
            <div className="card-grid">
              {routes.map((r) =>
                editing === r.name ? (
                  <RouteEditor
                    key={r.name}
                    client={client}
                    models={models}
                    route={r}
                    onCancel={() => closeEditor(r.name)}
                    onSaved={(name) => (closeEditor(name), reload())}
                  />
                ) : (
                  <RouteCard
                    key={r.name}
                    route={r}
                    health={health}
                    test={tests[r.name]}
                    editingOther={editing !== null}
                    onTest={() => void test(r.name)}
                    onEdit={() => setEditing(r.name)}
                    onDelete={() => remove(r.name)}
                  />
                ),
              )}
            </div>
          </>
        )}
      </LoadState>
    </div>
  );
}
