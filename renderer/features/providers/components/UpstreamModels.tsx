// The models a provider's API lists now, with the catalog's price for each; the ones not offered yet
// can be added in one go (providers.addModels), priced like in the add-provider flow.
import { useState } from 'react';
import type { AppContract } from '../../../../shared/contract';
import type { DiscoveredModel } from '../../../../shared/setup-types';
import { Button } from '../../../ui/Button';
import { ErrorNote } from '../../../ui/ErrorNote';
import { suggestionLabel } from '../provider-form';

const price = (m: DiscoveredModel) =>
  m.price?.input === undefined && m.price?.output === undefined
    ? 'price unknown'
    : `$${m.price?.input ?? '?'} / $${m.price?.output ?? '?'} per 1M`;

export function UpstreamModels({ client, providerId }: { client: AppContract; providerId: string }) {
  const [listed, setListed] = useState<DiscoveredModel[] | null>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  const list = async () => {
    setError(null);
    setNote(null);
    try {
      setListed(await client.providers.available(providerId));
      setPicked(new Set());
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const add = async () => {
    if (!listed) return;
    setError(null);
    try {
      const models = listed
        .filter((m) => picked.has(m.id))
        .map((m) => ({ id: m.id, ...(m.contextWindow ? { contextWindow: m.contextWindow } : {}), ...(m.price ? { price: m.price } : {}) }));
      await client.providers.addModels(providerId, models);
      setNote(`Added ${models.map((m) => m.id).join(', ')}.`);
      setListed(listed.map((m) => (picked.has(m.id) ? { ...m, configured: true } : m)));
      setPicked(new Set());
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const fresh = listed?.filter((m) => !m.configured) ?? [];
  return (
    <div className="upstream-models">
      <Button variant="ghost" className="btn-sm" aria-label={`List models from ${providerId}'s API`} onClick={() => void list()}>
        List models from the API
      </Button>
      {error && <ErrorNote>{error}</ErrorNote>}
      {listed && (
        <fieldset className="upstream-list" aria-label={`Models ${providerId}'s API lists`}>
          <legend className="small muted">
            {listed.length === 0 ? 'The API lists no models.' : `${listed.length} listed; ${fresh.length} not offered yet.`}
          </legend>
          <ul className="plain-list">
            {listed.map((m) => (
              <li key={m.id}>
                {m.configured ? (
                  <span className="small">
                    <span className="mono">{m.id}</span> <span className="muted">· offered</span>
                  </span>
                ) : (
                  <label className="check small">
                    <input
                      type="checkbox"
                      checked={picked.has(m.id)}
                      onChange={(e) => {
                        const next = new Set(picked);
                        if (e.target.checked) next.add(m.id);
                        else next.delete(m.id);
                        setPicked(next);
                      }}
                    />
                    <span className="mono">{m.id}</span>
                    <span className="muted">
                      · {price(m)} ({suggestionLabel(m)})
                    </span>
                  </label>
                )}
              </li>
            ))}
          </ul>
          {fresh.length > 0 && (
            <Button variant="secondary" className="btn-sm" disabled={picked.size === 0} onClick={() => void add()}>
              Add {picked.size || ''} selected model{picked.size === 1 ? '' : 's'}
            </Button>
          )}
          {note && (
            <p role="status" className="small good-text">
              {note}
            </p>
          )}
        </fieldset>
      )}
    </div>
  );
}
