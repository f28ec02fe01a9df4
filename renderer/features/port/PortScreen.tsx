// The local port: whether it is up and where (and a switch, where the UI does not itself live on the
// port), client tokens (created once-shown, revoked, with their spend), the live request log, and
// copy-ready setup for each tool.
import { useState } from 'react';
import type { ScreenProps } from '../../lib/screen';
import { useChanges } from '../../lib/changes';
import { useLoad } from '../../lib/use-load';
import { EmptyState } from '../../ui/EmptyState';
import { NextStep } from '../../ui/NextStep';
import { Button } from '../../ui/Button';
import { CopyButton } from '../../ui/CopyButton';
import { Badge, Card, ComingButton, LoadState, PageHeader } from '../../ui/Page';
import { RequestLog } from './components/RequestLog';
import { SetupGuides } from './components/SetupGuides';
import { TokensCard } from './components/TokensCard';

export function PortScreen({ client, active }: ScreenProps) {
  // Model names, tokens and the port's settings update live, wherever they are changed.
  const changed = useChanges(client, ['providers', 'routes', 'tokens', 'port']);
  const { state, reload } = useLoad(
    async () => {
      const [info, models] = await Promise.all([client.port.info(), client.models.list()]);
      return { info, models };
    },
    active,
    changed,
  );
  const [token, setToken] = useState<string | null>(null);
  const [manualTick, setTick] = useState(0);
  const tick = manualTick + changed;
  const [switchError, setSwitchError] = useState<string | null>(null);
  const setEnabled = (on: boolean) =>
    void client.port.setEnabled(on).then(
      () => (setSwitchError(null), reload()),
      (error: unknown) => setSwitchError((error as Error).message),
    );
  return (
    <div className="page">
      <PageHeader
        title="Port"
        subtitle="An OpenAI-, Anthropic- and Ollama-compatible endpoint on this machine for your IDE extensions and CLIs."
      >
        <Button variant="ghost" onClick={() => (reload(), setTick((t) => t + 1))}>
          Refresh
        </Button>
      </PageHeader>
      <LoadState state={state} onRetry={reload}>
        {({ info, models }) => (
          <>
            {models.length === 0 && (
              <div className="empty-panel">
                <EmptyState title="No models for your tools yet">
                  Tools pointed at this port ask for a model by name. Add a provider first; its models and your routes become the names they
                  can use.
                  <NextStep href="#providers">Add a provider</NextStep>
                </EmptyState>
              </div>
            )}
            <div className="stat-row">
              <Card
                label="Address"
                title="Address"
                aside={info.url ? <Badge tone="good">listening</Badge> : <Badge tone="warn">off</Badge>}
              >
                <p className="big mono" data-testid="port-address">
                  {info.url ? `${info.url}/v1` : 'The port is not running.'}
                </p>
                {info.url && <CopyButton text={`${info.url}/v1`} label="Copy address" />}
                {info.exposed && (
                  <p className="small">Listening beyond this machine ({info.host}): anyone who can reach it still needs a token.</p>
                )}
                {info.toggleBlockedBecause ? (
                  <ComingButton id="port-switch-why" reason={`Can't switch the port here: ${info.toggleBlockedBecause}.`}>
                    {info.url ? 'Turn port off' : 'Turn port on'}
                  </ComingButton>
                ) : (
                  <Button variant="secondary" onClick={() => setEnabled(!info.url)}>
                    {info.url ? 'Turn port off' : 'Turn port on'}
                  </Button>
                )}
                {switchError && (
                  <p role="alert" className="small">
                    {switchError}
                  </p>
                )}
                <label className="switch">
                  <input
                    type="checkbox"
                    checked={info.settings.captureBodies}
                    onChange={(e) => void client.port.updateSettings({ captureBodies: e.target.checked }).then(reload)}
                  />
                  <span>Keep redacted request bodies in the log</span>
                </label>
              </Card>
              <Card label="Model names" title="Model names your tools can use">
                <ul className="chip-list">
                  {models.map((m) => (
                    <li key={m.id} className="chip mono">
                      {m.id} {m.kind === 'route' && <Badge tone="accent">route</Badge>}
                    </li>
                  ))}
                </ul>
              </Card>
            </div>
            <TokensCard client={client} tick={tick} onCreated={setToken} />
            {/* A new request changes its token's requests and spend: the tokens table follows. */}
            <RequestLog client={client} active={active} onNewRequests={() => setTick((t) => t + 1)} />
            <SetupGuides client={client} baseUrl={info.url ?? 'http://127.0.0.1:4141'} model={models[0]?.id ?? 'default'} token={token} />
          </>
        )}
      </LoadState>
    </div>
  );
}
