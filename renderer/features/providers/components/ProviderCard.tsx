// One provider: its keys (masked; paste, test, delete; a session-only key says so), its models with
// context, price and where that price comes from (each editable), the router's live health per
// model, and the models its API lists now, ready to add.
import { Fragment, useState } from 'react';
import type { AppContract } from '../../../../shared/contract';
import type { KeyHealthInfo, KeyTestResult, ProviderInfo, TargetHealthInfo } from '../../../../shared/types';
import { attr, focusSoon } from '../../../lib/focus';
import { formatMs, formatTokens } from '../../../lib/format';
import { Button } from '../../../ui/Button';
import { DataTable, type Column } from '../../../ui/DataTable';
import { ErrorNote } from '../../../ui/ErrorNote';
import { BreakerBadge, recentErrors } from '../../../ui/Health';
import { Badge, Card } from '../../../ui/Page';
import { keyIsDeletable, keySourceLabel, priceSourceLabel } from '../provider-form';
import { KeyForm } from './KeyForm';
import { PriceEditor } from './PriceEditor';
import { UpstreamModels } from './UpstreamModels';

const MODEL_COLUMNS: readonly Column[] = [
  { label: 'Model' },
  { label: 'Context' },
  { label: 'Input / 1M' },
  { label: 'Output / 1M' },
  { label: 'Price from' },
  { label: 'Health' },
];

const price = (v: number | undefined) => (v === undefined ? 'unknown' : `$${v}`);

interface Props {
  client: AppContract;
  p: ProviderInfo;
  health: TargetHealthInfo[];
  /** Keys the router is not using now (retired after 401/402/403, or cooling down after a 429). */
  keyHealth: KeyHealthInfo[];
  /** No OS keychain: a pasted key is kept for this session only. */
  sessionOnly: boolean;
  onChanged(): void;
}

export function ProviderCard({ client, p, health, keyHealth, sessionOnly, onChanged }: Props) {
  const [tests, setTests] = useState<Record<string, KeyTestResult>>({});
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [pricing, setPricing] = useState<string | null>(null);

  const run = async (what: () => Promise<unknown>): Promise<boolean> => {
    setError(null);
    try {
      await what();
      return true;
    } catch (e) {
      setError((e as Error).message);
      return false;
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
        <Button
          variant="ghost"
          className="btn-sm"
          aria-label={`Remove provider ${p.id}`}
          onClick={() => void run(async () => (await client.providers.remove(p.id), onChanged()))}
        >
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
              <span className="muted small key-source">{keySourceLabel(k)}</span>
              {k.present ? (
                <Badge tone={k.source === 'session' ? 'warn' : 'good'}>
                  {k.source === 'session' ? 'not kept after restart' : 'present'}
                </Badge>
              ) : (
                <Badge tone="bad">{k.problem ? 'not used' : 'missing'}</Badge>
              )}
              {kh && (
                <span className="small" title={kh.reason}>
                  <Badge tone={kh.state === 'retired' ? 'bad' : 'warn'}>
                    {kh.state === 'retired' ? `retired${kh.status ? ` (${kh.status})` : ''}` : 'cooling down'}
                  </Badge>{' '}
                  {kh.reason}
                </span>
              )}
              <Button
                variant="ghost"
                className="btn-sm"
                aria-label={`Test key ${k.label} of ${p.id}`}
                onClick={() => void run(async () => setTests({ ...tests, [k.label]: await client.keys.test(p.id, k.label) }))}
              >
                Test
              </Button>
              {keyIsDeletable(k) && (
                <Button
                  variant="ghost"
                  className="btn-sm"
                  aria-label={`Delete key ${k.label} of ${p.id}`}
                  onClick={() => void run(async () => (await client.keys.remove(p.id, k.label), onChanged()))}
                >
                  Delete
                </Button>
              )}
              {!k.present && k.problem && <span className="small key-problem">{k.problem}</span>}
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
        <KeyForm
          providerId={p.id}
          sessionOnly={sessionOnly}
          onCancel={() => (setAdding(false), focusSoon(`[aria-label=${attr(`Paste a key for ${p.id}`)}]`))}
          onSave={(label, secret) =>
            run(
              async () => (
                await client.keys.set(p.id, label, secret),
                setAdding(false),
                onChanged(),
                focusSoon(`[aria-label=${attr(`Paste a key for ${p.id}`)}]`)
              ),
            )
          }
        />
      ) : (
        <Button variant="secondary" className="btn-sm" aria-label={`Paste a key for ${p.id}`} onClick={() => setAdding(true)}>
          Paste a key
        </Button>
      )}
      <h3 className="section-label">Models</h3>
      <DataTable label={`Models of ${p.id}`} className="table compact" columns={MODEL_COLUMNS}>
        {p.models.map((m) => {
          const h = health.find((x) => x.provider === p.id && x.model === m.id);
          const errs = recentErrors(h);
          return (
            <Fragment key={m.id}>
              <tr>
                <td className="mono">{m.id}</td>
                <td>{m.contextWindow ? formatTokens(m.contextWindow) : '—'}</td>
                <td>{price(m.price?.input)}</td>
                <td>{price(m.price?.output)}</td>
                <td className="small price-source">
                  {priceSourceLabel(m.priceSource)}{' '}
                  <Button
                    variant="ghost"
                    className="btn-xs"
                    aria-label={`Edit price of ${m.id}`}
                    aria-expanded={pricing === m.id}
                    onClick={() => setPricing(pricing === m.id ? null : m.id)}
                  >
                    Edit
                  </Button>
                </td>
                <td>
                  <BreakerBadge h={h} />
                  {h?.ttftMs != null && <span className="muted small"> · first token {formatMs(h.ttftMs)}</span>}
                  {errs && <span className="small"> · recent errors {errs}</span>}
                </td>
              </tr>
              {pricing === m.id && (
                <tr className="price-editor-row">
                  <td colSpan={MODEL_COLUMNS.length}>
                    <PriceEditor
                      client={client}
                      providerId={p.id}
                      model={m}
                      onClose={() => {
                        setPricing(null);
                        // Back to the Edit button that opened it, so the keyboard keeps its place.
                        focusSoon(`section[aria-label=${attr(`Provider ${p.id}`)}] [aria-label=${attr(`Edit price of ${m.id}`)}]`);
                      }}
                    />
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </DataTable>
      <UpstreamModels client={client} providerId={p.id} />
    </Card>
  );
}
