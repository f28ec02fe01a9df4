// Adding a provider: pick a kind or a known vendor (presets come from the engine), name it, give a
// base URL where one is needed, list the models to offer, and optionally paste a key. The key goes
// straight to keys.set (the OS keychain); the form forgets it as soon as it is sent.
import { useEffect, useState } from 'react';
import type { AppContract } from '../../../../shared/contract';
import type { ProviderPreset } from '../../../../shared/types';
import { Button } from '../../../ui/Button';
import { ErrorNote } from '../../../ui/ErrorNote';

interface Props {
  client: AppContract;
  onDone(): void;
  onCancel(): void;
}

export function AddProviderForm({ client, onDone, onCancel }: Props) {
  const [presets, setPresets] = useState<ProviderPreset[]>([]);
  const [choice, setChoice] = useState('');
  const [id, setId] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [models, setModels] = useState('');
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const preset = presets.find((p) => `${p.kind}:${p.id}` === choice);

  useEffect(() => {
    client.providers.presets().then(
      (list) => {
        setPresets(list);
        const first = list[0];
        if (first) {
          setChoice(`${first.kind}:${first.id}`);
          setId(first.id);
        }
      },
      (e: Error) => setError(e.message),
    );
  }, [client]);

  const pick = (value: string) => {
    setChoice(value);
    const p = presets.find((x) => `${x.kind}:${x.id}` === value);
    if (p) {
      setId(p.id);
      setBaseUrl('');
    }
  };

  const submit = async () => {
    if (!preset) return;
    setBusy(true);
    setError(null);
    try {
      const ids = models.split(/[\s,]+/).filter(Boolean);
      await client.providers.add({ id: id.trim(), kind: preset.kind, ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}), models: ids.map((m) => ({ id: m })) });
      if (key.trim()) await client.keys.set(id.trim(), 'default', key);
      setKey('');
      onDone();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="form-grid card"
      aria-label="Add provider"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        Kind or vendor
        <select value={choice} onChange={(e) => pick(e.target.value)}>
          {presets.map((p) => (
            <option key={`${p.kind}:${p.id}`} value={`${p.kind}:${p.id}`}>
              {p.label}
              {p.baseUrl ? ` (${p.baseUrl})` : ''}
            </option>
          ))}
        </select>
      </label>
      <label>
        Provider id
        <input value={id} required onChange={(e) => setId(e.target.value)} />
      </label>
      <label>
        Base URL{preset?.needsBaseUrl ? '' : ' (optional)'}
        <input type="url" value={baseUrl} required={preset?.needsBaseUrl} placeholder={preset?.baseUrl ?? 'https://…/v1'} onChange={(e) => setBaseUrl(e.target.value)} />
      </label>
      <label>
        Models (ids, comma separated)
        <input value={models} placeholder="gpt-4o-mini, gpt-4o" onChange={(e) => setModels(e.target.value)} />
      </label>
      {!preset?.keyless && (
        <label>
          API key (stored in the OS keychain)
          <input type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} />
        </label>
      )}
      {error && (
        <div className="form-actions">
          <ErrorNote>{error}</ErrorNote>
        </div>
      )}
      <div className="form-actions">
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
        <Button variant="primary" type="submit" disabled={busy || !preset}>
          Add provider
        </Button>
      </div>
    </form>
  );
}
