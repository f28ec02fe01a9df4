// Providers as configured: kind, base URL, models with prices and context windows, and each key's
// source in masked form (the renderer never sees a key). Adding providers and testing keys arrive
// with the providers/keys service.
import type { ProviderInfo } from '../../../shared/types';
import { formatTokens } from '../../lib/format';
import { useLoad } from '../../lib/use-load';
import { EmptyState } from '../../ui/EmptyState';
import { Badge, Card, ComingButton, LoadState, PageHeader } from '../../ui/Page';
import type { ScreenProps } from '../../lib/screen';

const price = (v: number | undefined) => (v === undefined ? 'unknown' : `$${v}`);

function ProviderCard({ p }: { p: ProviderInfo }) {
  return (
    <Card
      className="provider-card"
      label={`Provider ${p.id}`}
      title={
        <>
          <span className="mono">{p.id}</span> <Badge tone="accent">{p.kind}</Badge>
        </>
      }
      aside={p.supported ? <Badge tone="good">served</Badge> : <Badge tone="warn">adapter not yet available</Badge>}
    >
      {p.baseUrl && <p className="muted mono small">{p.baseUrl}</p>}
      <h3 className="section-label">Keys</h3>
      <ul className="key-list">
        {p.keys.length === 0 && <li className="muted">No key configured.</li>}
        {p.keys.map((k) => (
          <li key={k.label} className="key-row">
            <span className="mono">{k.label}</span>
            <span className="mono key-masked">{k.masked ?? '—'}</span>
            <span className="muted small">{k.source === 'env' ? `env ${k.envName ?? ''}` : 'keychain'}</span>
            {k.present ? <Badge tone="good">present</Badge> : <Badge tone="bad">missing</Badge>}
          </li>
        ))}
      </ul>
      <h3 className="section-label">Models</h3>
      <table className="table compact">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Context</th>
            <th scope="col">Input / 1M</th>
            <th scope="col">Output / 1M</th>
          </tr>
        </thead>
        <tbody>
          {p.models.map((m) => (
            <tr key={m.id}>
              <td className="mono">{m.id}</td>
              <td>{m.contextWindow ? formatTokens(m.contextWindow) : '—'}</td>
              <td>{price(m.price?.input)}</td>
              <td>{price(m.price?.output)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

export function ProvidersScreen({ client, active }: ScreenProps) {
  const { state, reload } = useLoad(() => client.providers.list(), active);
  return (
    <div className="page">
      <PageHeader title="Providers" subtitle="Keys live in your OS keychain or in environment variables; this window only ever sees them masked.">
        <ComingButton id="providers-add-why" reason="Adding providers and keys arrives with the providers and keys service.">
          Add provider
        </ComingButton>
      </PageHeader>
      <LoadState state={state} onRetry={reload}>
        {(providers) =>
          providers.length === 0 ? (
            <EmptyState title="No providers yet">Start `switchboard serve --config file.json` with providers, or set a key with `switchboard key set`.</EmptyState>
          ) : (
            <div className="card-grid">
              {providers.map((p) => (
                <ProviderCard key={p.id} p={p} />
              ))}
            </div>
          )
        }
      </LoadState>
    </div>
  );
}
