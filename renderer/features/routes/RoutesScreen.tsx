// Routes as configured: name, strategy and the ordered targets a request tries. Editing, live
// health and one-click tests arrive with the routes service.
import { useLoad } from '../../lib/use-load';
import { EmptyState } from '../../ui/EmptyState';
import { Badge, Card, ComingButton, LoadState, PageHeader } from '../../ui/Page';
import type { ScreenProps } from '../../lib/screen';

export function RoutesScreen({ client, active }: ScreenProps) {
  const { state, reload } = useLoad(() => client.routes.list(), active);
  return (
    <div className="page">
      <PageHeader title="Routes" subtitle="A route is a model name your tools can use; it tries its targets in order and fails over on errors.">
        <ComingButton id="routes-new-why" reason="Creating and editing routes arrives with route editing.">
          New route
        </ComingButton>
      </PageHeader>
      <LoadState state={state} onRetry={reload}>
        {(routes) =>
          routes.length === 0 ? (
            <EmptyState title="No routes yet">Routes come from the config file for now.</EmptyState>
          ) : (
            <div className="card-grid">
              {routes.map((r) => (
                <Card key={r.name} label={`Route ${r.name}`} title={<span className="mono">{r.name}</span>} aside={<Badge tone="accent">{r.strategy}</Badge>}>
                  <ol className="target-list">
                    {r.targets.map((t, i) => (
                      <li key={`${t.provider}/${t.model}/${i}`} className="target-row">
                        <span className="target-rank" aria-hidden="true">
                          {i + 1}
                        </span>
                        <span className="mono">
                          {t.provider}/{t.model}
                        </span>
                        {i === 0 ? <Badge tone="good">first</Badge> : <span className="muted small">fallback</span>}
                      </li>
                    ))}
                  </ol>
                </Card>
              ))}
            </div>
          )
        }
      </LoadState>
    </div>
  );
}
