// The local port: its address (known when this UI is served by the port itself), the model names
// tools can use, and copy-ready setup snippets. Client tokens and the live request log arrive with
// the port service; until then tokens are made with `switchboard token create NAME`.
import { useState } from 'react';
import { useLoad } from '../../lib/use-load';
import type { ScreenProps } from '../../lib/screen';
import { CopyButton } from '../../ui/CopyButton';
import { Badge, Card, ComingButton, LoadState, PageHeader } from '../../ui/Page';

/** Under `switchboard serve` the UI comes from the port, so its origin is the port's address. */
function portAddress(): string | null {
  if (window.switchboard) return null;
  return /^https?:$/.test(window.location.protocol) ? window.location.origin : null;
}

function snippets(base: string, model: string): Record<string, string> {
  return {
    'OpenAI SDK (JS)': `import OpenAI from 'openai';\nconst client = new OpenAI({ baseURL: '${base}/v1', apiKey: process.env.SWITCHBOARD_TOKEN });\nconst reply = await client.chat.completions.create({ model: '${model}', messages: [{ role: 'user', content: 'Hi' }] });`,
    'OpenAI SDK (Python)': `import os\nfrom openai import OpenAI\nclient = OpenAI(base_url="${base}/v1", api_key=os.environ["SWITCHBOARD_TOKEN"])\nreply = client.chat.completions.create(model="${model}", messages=[{"role": "user", "content": "Hi"}])`,
    curl: `curl ${base}/v1/chat/completions \\\n  -H "Authorization: Bearer $SWITCHBOARD_TOKEN" -H 'content-type: application/json' \\\n  -d '{"model":"${model}","messages":[{"role":"user","content":"Hi"}]}'`,
    'Environment (most tools)': `export OPENAI_BASE_URL=${base}/v1\nexport OPENAI_API_KEY=$SWITCHBOARD_TOKEN`,
  };
}

export function PortScreen({ client, active }: ScreenProps) {
  const address = portAddress();
  const base = address ?? 'http://127.0.0.1:4848';
  const { state, reload } = useLoad(() => client.models.list(), active);
  const [tab, setTab] = useState('OpenAI SDK (JS)');
  return (
    <div className="page">
      <PageHeader title="Port" subtitle="An OpenAI-compatible endpoint on this machine for your IDE extensions and CLIs.">
        <ComingButton id="port-token-why" reason="Creating and revoking tokens here arrives with the port service; use `switchboard token create NAME` meanwhile.">
          New token
        </ComingButton>
      </PageHeader>
      <div className="stat-row">
        <Card label="Address" title="Address" aside={address ? <Badge tone="good">listening</Badge> : <Badge>unknown here</Badge>}>
          <p className="big mono" data-testid="port-address">
            {address ? `${address}/v1` : 'Shown once the port service is available in the desktop app.'}
          </p>
          {address && <CopyButton text={`${address}/v1`} label="Copy address" />}
        </Card>
        <Card label="Client tokens" title="Client tokens">
          <p className="muted">
            One token per tool, so its spend is attributed to it. Create one with <code>switchboard token create NAME</code>; it is printed once and only
            its hash is kept.
          </p>
        </Card>
      </div>
      <Card label="Model names" title="Model names your tools can use">
        <LoadState state={state} onRetry={reload}>
          {(models) => (
            <ul className="chip-list">
              {models.map((m) => (
                <li key={m.id} className="chip mono">
                  {m.id} {m.kind === 'route' && <Badge tone="accent">route</Badge>}
                </li>
              ))}
            </ul>
          )}
        </LoadState>
      </Card>
      <Card label="Setup snippets" title="Set up a tool">
        <div role="tablist" aria-label="Snippet" className="tabs">
          {Object.keys(snippets(base, 'default')).map((name) => (
            <button key={name} type="button" role="tab" aria-selected={tab === name} className="tab" onClick={() => setTab(name)}>
              {name}
            </button>
          ))}
        </div>
        {(() => {
          const model = state.status === 'ready' ? (state.data[0]?.id ?? 'default') : 'default';
          const text = snippets(base, model)[tab] ?? '';
          return (
            <div className="code-block" role="tabpanel" aria-label={tab}>
              <div className="code-block-bar">
                <span className="code-block-lang">{tab}</span>
                <CopyButton text={text} label="Copy snippet" />
              </div>
              <pre>
                <code data-testid="snippet">{text}</code>
              </pre>
            </div>
          );
        })()}
      </Card>
    </div>
  );
}
