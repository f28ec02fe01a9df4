// One provider: its keys (masked; paste, test, delete), its configured models with prices and the
// router's live health per model (breaker, recent errors, time to first token), and the models its
// API lists right now.
import { useState } from 'react';
import type { AppContract } from '../../../../shared/contract';
import type { KeyTestResult, ProviderInfo, TargetHealthInfo, KeyHealthInfo } from '../../../../shared/types';
import { formatMs, formatTokens } from '../../../lib/format';
import { Button } from '../../../ui/Button';
import { ErrorNote } from '../../../ui/ErrorNote';
import { BreakerBadge, recentErrors } from '../../../ui/Health';
import { Badge, Card } from '../../../ui/Page';

const price = (v: number | undefined) => (v === undefined ? 'unknown' : `$${v}`);

interface Props {
  client: AppContract;
  p: ProviderInfo;
  health: TargetHealthInfo[];
  /** Keys the router is not using now (retired after 401/402/403, or cooling down after a 429). */
  keyHealth: KeyHealthInfo[];
  onChanged(): void;
}

export function ProviderCard({ client, p, health, keyHealth, onChanged }: Props) {
  const [secret, setSecret] = useState('');
  const [label, setLabel] = useState('default');
  const [tests, setTests] = useState<Record<string, KeyTestResult>>({});
  const [upstream, setUpstream] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);

  const run = async (what: () => Promise<unknown>) => {
    setError(null);
    try {
      await what();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <Card
      className="provider-card"
      label={`Provider ${p.id}`}
      title={
        <>
          <span className="mono">{p.id}</span> <Badge tone="accent">{p.kind}</Badge>
        </>
      }
      aside={
        <Button variant="ghost" className="btn-sm" aria-label={`Remove provider ${p.id}`} onClick={() => void run(async () => (await client.providers.remove(p.id), onChanged()))}>
          Remove
        </Button>
      }
    >
      {p.baseUrl && <p className="muted mono small">{p.baseUrl}</p>}
      {error && <ErrorNote>{error}</ErrorNote>}
      <h3 className="section-label">Keys</h3>
      <ul className="key-list">
        {p.keys.length === 0 && <li className="muted">No key configured.</li>}
        {p.keys.map((k) => {
          const t = tests[k.label];
          const kh = keyHealth.find((x) => x.provider === p.id && x.label === k.label);
          return (
            <li key={k.label} className="key-row">
              <span className="mono">{k.label}</span>
              <span className="mono key-masked">{k.masked ?? '—'}</span>
              <span className="muted small">{k.source === 'env' ? `env ${k.envName ?? ''}` : 'keychain'}</span>
              {k.present ? <Badge tone="good">present</Badge> : <Badge tone="bad">missing</Badge>}
              {kh && (
                <span className="small" title={kh.reason}>
                  <Badge tone={kh.state === 'retired' ? 'bad' : 'warn'}>{kh.state === 'retired' ? `retired${kh.status ? ` (${kh.status})` : ''}` : 'cooling down'}</Badge> {kh.reason}
                </span>
              )}
              <Button variant="ghost" className="btn-sm" aria-label={`Test key ${k.label} of ${p.id}`} onClick={() => void run(async () => setTests({ ...tests, [k.label]: await client.keys.test(p.id, k.label) }))}>
                Test
              </Button>
              {k.source === 'keychain' && (
                <Button variant="ghost" className="btn-sm" aria-label={`Delete key ${k.label} of ${p.id}`} onClick={() => void run(async () => (await client.keys.remove(p.id, k.label), onChanged()))}>
                  Delete
                </Button>
              )}
              {t && (
                <span role="status" className={`small key-test ${t.ok ? 'good' : 'bad'}`}>
                  {t.ok ? '✓ ' : '✗ '}
                  {t.message}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {adding ? (
        <form
          className="key-add"
          aria-label={`Add key to ${p.id}`}
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await client.keys.set(p.id, label, secret);
              setSecret('');
              setAdding(false);
              onChanged();
            });
          }}
        >
          <input aria-label="Key label" value={label} onChange={(e) => setLabel(e.target.value)} />
          <input aria-label="API key" type="password" autoComplete="off" value={secret} onChange={(e) => setSecret(e.target.value)} />
          <Button variant="primary" type="submit" className="btn-sm" disabled={!secret.trim()}>
            Save key
          </Button>
          <Button variant="ghost" className="btn-sm" onClick={() => (setSecret(''), setAdding(false))}>
            Cancel
          </Button>
        </form>
      ) : (
        <Button variant="secondary" className="btn-sm" aria-label={`Paste a key for ${p.id}`} onClick={() => setAdding(true)}>
          Paste a key
        </Button>
      )}
      <h3 className="section-label">Models</h3>
      <table className="table compact" aria-label={`Models of ${p.id}`}>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Context</th>
            <th scope="col">Input / 1M</th>
            <th scope="col">Output / 1M</th>
            <th scope="col">Health</th>
          </tr>
        </thead>
        <tbody>
          {p.models.map((m) => {
            const h = health.find((x) => x.provider === p.id && x.model === m.id);
            const errs = recentErrors(h);
            return (
              <tr key={m.id}>
                <td className="mono">{m.id}</td>
                <td>{m.contextWindow ? formatTokens(m.contextWindow) : '—'}</td>
                <td>{price(m.price?.input)}</td>
                <td>{price(m.price?.output)}</td>
                <td>
                  <BreakerBadge h={h} />
                  {h?.ttftMs != null && <span className="muted small"> · first token {formatMs(h.ttftMs)}</span>}
                  {errs && <span className="small"> · recent errors {errs}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="upstream-models">
        <Button variant="ghost" className="btn-sm" aria-label={`List models from ${p.id}'s API`} onClick={() => void run(async () => setUpstream(await client.providers.models(p.id)))}>
          List models from the API
        </Button>
        {upstream && (
          <p className="small mono" aria-label={`Models ${p.id}'s API lists`}>
            {upstream.length ? upstream.join(', ') : 'The API lists no models.'}
          </p>
        )}
      </div>
    </Card>
  );
}
