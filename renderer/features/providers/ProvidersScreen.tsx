// Providers: add one (preset, key, test, models priced from the catalog, all in one step that stores
// everything or nothing), paste and test keys (OS keychain, or this session only when there is none,
// said plainly), edit each model's price, see live health, and add models the API lists. Updates
// live when providers, keys, prices or routes change anywhere.
import { useEffect, useRef, useState } from 'react';
import type { KeyStorageInfo, ProviderCreated } from '../../../shared/setup-types';
import type { HealthSnapshot, ProviderInfo } from '../../../shared/types';
import { useChanges } from '../../lib/changes';
import { focusSoon } from '../../lib/focus';
import type { ScreenProps } from '../../lib/screen';
import { useLoad } from '../../lib/use-load';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { NextStep } from '../../ui/NextStep';
import { LoadState, PageHeader } from '../../ui/Page';
import { AddProviderFlow } from './components/AddProviderFlow';
import { KeyStorageNotice } from './components/KeyStorageNotice';
import { ProviderCard } from './components/ProviderCard';
import './providers.css';

interface Loaded {
  providers: ProviderInfo[];
  health: HealthSnapshot | null;
  storage: KeyStorageInfo | null;
}

const PLACEMENT: Record<ProviderCreated['keyPlacement'], string> = {
  keychain: 'Its key is in your OS keychain.',
  session: 'Its key is kept for this session only: paste it again after a restart, or set up a keychain (see the note above).',
  env: 'Its key is read from the environment variable at each request.',
  none: 'It needs no key.',
};

export function ProvidersScreen({ client, active }: ScreenProps) {
  const changed = useChanges(client, ['providers', 'keys', 'prices', 'routes']);
  const { state, reload } = useLoad(
    async (): Promise<Loaded> => {
      const [providers, health, storage] = await Promise.all([
        client.providers.list(),
        client.routes.health().catch(() => null),
        client.keys.storage().catch(() => null),
      ]);
      return { providers, health, storage };
    },
    active,
    changed,
  );
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<ProviderCreated | null>(null);
  // First run: with no provider yet, the screen opens on the add-provider flow.
  const [opened, setOpened] = useState(false);
  useEffect(() => {
    if (!opened && state.status === 'ready') {
      setOpened(true);
      if (state.data.providers.length === 0) setAdding(true);
    }
  }, [opened, state]);

  // After an add, focus lands on what happened and where to go next.
  const doneHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (created) doneHeading.current?.focus();
  }, [created]);

  const sessionOnly = state.status === 'ready' && state.data.storage?.mode === 'session';
  return (
    <div className="page">
      <PageHeader
        title="Providers"
        subtitle="Keys live in your OS keychain, in environment variables or in key files; this window only ever sees them masked."
      >
        <Button variant="primary" onClick={() => (setCreated(null), setAdding(true))} disabled={adding}>
          Add provider
        </Button>
      </PageHeader>
      {state.status === 'ready' && state.data.storage && <KeyStorageNotice storage={state.data.storage} />}
      {created && !adding && (
        <section className="card setup-done" aria-labelledby="setup-done-title">
          <h2 id="setup-done-title" className="card-title" tabIndex={-1} ref={doneHeading}>
            {created.provider.id} is ready with {created.provider.models.length} model{created.provider.models.length === 1 ? '' : 's'}
          </h2>
          <p>{PLACEMENT[created.keyPlacement]}</p>
          <div className="next-steps">
            <NextStep href="#chat">Chat with it</NextStep>
            <NextStep href="#compare" secondary>
              Compare models
            </NextStep>
            <NextStep href="#port" secondary>
              Connect your tools
            </NextStep>
          </div>
        </section>
      )}
      {adding && (
        <AddProviderFlow
          client={client}
          sessionOnly={sessionOnly}
          onCancel={() => (setAdding(false), focusSoon('[data-screen="providers"] .page-header .btn-primary'))}
          onDone={(c) => {
            setCreated(c);
            setAdding(false);
            reload();
          }}
        />
      )}
      <LoadState state={state} onRetry={reload}>
        {({ providers, health }) =>
          providers.length === 0 ? (
            adding ? null : (
              <EmptyState title="No providers yet">
                Add the first one: pick a provider, paste its key, and Switchboard lists its models with their prices.
                <div className="next-step">
                  <Button variant="primary" onClick={() => setAdding(true)}>
                    Add your first provider
                  </Button>
                </div>
              </EmptyState>
            )
          ) : (
            <div className="card-grid providers-grid">
              {providers.map((p) => (
                <ProviderCard
                  key={p.id}
                  client={client}
                  p={p}
                  health={health?.targets ?? []}
                  keyHealth={health?.keys ?? []}
                  sessionOnly={sessionOnly}
                  onChanged={reload}
                />
              ))}
            </div>
          )
        }
      </LoadState>
    </div>
  );
}
