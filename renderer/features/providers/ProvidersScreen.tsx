// Providers: add one from presets, paste keys (they go to the OS keychain; this window only ever
// sees them masked), test them, see each model's price and live health, and list what the API offers.
import { useState } from 'react';
import type { HealthSnapshot, ProviderInfo } from '../../../shared/types';
import type { ScreenProps } from '../../lib/screen';
import { useLoad } from '../../lib/use-load';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { LoadState, PageHeader } from '../../ui/Page';
import { AddProviderForm } from './components/AddProviderForm';
import { ProviderCard } from './components/ProviderCard';

export function ProvidersScreen({ client, active }: ScreenProps) {
  const { state, reload } = useLoad(
    async (): Promise<{ providers: ProviderInfo[]; health: HealthSnapshot | null }> => {
      const [providers, health] = await Promise.all([client.providers.list(), client.routes.health().catch(() => null)]);
      return { providers, health };
    },
    active,
  );
  const [adding, setAdding] = useState(false);
  return (
    <div className="page">
      <PageHeader title="Providers" subtitle="Keys live in your OS keychain or in environment variables; this window only ever sees them masked.">
        <Button variant="ghost" onClick={reload}>
          Refresh
        </Button>
        <Button variant="primary" onClick={() => setAdding(true)} disabled={adding}>
          Add provider
        </Button>
      </PageHeader>
      {adding && <AddProviderForm client={client} onCancel={() => setAdding(false)} onDone={() => (setAdding(false), reload())} />}
      <LoadState state={state} onRetry={reload}>
        {({ providers, health }) =>
          providers.length === 0 ? (
            <EmptyState title="No providers yet">Add one above, or start `switchboard serve --config file.json` with providers.</EmptyState>
          ) : (
            <div className="card-grid">
              {providers.map((p) => (
                <ProviderCard key={p.id} client={client} p={p} health={health?.targets ?? []} keyHealth={health?.keys ?? []} onChanged={reload} />
              ))}
            </div>
          )
        }
      </LoadState>
    </div>
  );
}
