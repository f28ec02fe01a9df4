// Adding a provider in two steps: connect (kind, id, base URL, key) and test it, which lists its
// models priced from the catalog; then choose and price the models and add it, all in one engine call
// that stores everything or nothing. The pasted key lives in this form only until that call succeeds.
import { useEffect, useRef, useState } from 'react';
import type { AppContract } from '../../../../shared/contract';
import type { ProviderCreated, ProviderSetup, ProviderSetupKey } from '../../../../shared/setup-types';
import type { ProviderPreset } from '../../../../shared/types';
import { ErrorNote } from '../../../ui/ErrorNote';
import { envNameFor, modelsFromRows, presetValue, rowFor, type ModelRow } from '../provider-form';
import { ConnectStep, type ConnectDraft } from './ConnectStep';
import { ModelsStep } from './ModelsStep';

interface Props {
  client: AppContract;
  sessionOnly: boolean;
  onDone(created: ProviderCreated): void;
  onCancel(): void;
}

/** Above this many listed models none is pre-selected: offering a whole catalogue is rarely wanted. */
const PRESELECT_UP_TO = 8;

const EMPTY: ConnectDraft = { preset: '', id: '', baseUrl: '', keySource: 'paste', secret: '', envName: '' };

export function AddProviderFlow({ client, sessionOnly, onDone, onCancel }: Props) {
  const [presets, setPresets] = useState<ProviderPreset[]>([]);
  const [draft, setDraft] = useState<ConnectDraft>(EMPTY);
  const [step, setStep] = useState<'connect' | 'models'>('connect');
  const [rows, setRows] = useState<ModelRow[]>([]);
  const [summary, setSummary] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const preset = presets.find((p) => presetValue(p) === draft.preset);

  const choose = (list: ProviderPreset[], value: string) => {
    const p = list.find((x) => presetValue(x) === value);
    if (!p) return;
    setDraft((d) => ({ ...d, preset: value, id: p.id, baseUrl: p.baseUrl ?? '', keySource: p.keyless ? 'none' : 'paste', envName: '' }));
  };

  useEffect(() => {
    client.providers.presets().then(
      (list) => {
        setPresets(list);
        if (list[0]) choose(list, presetValue(list[0]));
      },
      (e: Error) => setError(e.message),
    );
  }, [client]);

  // Each step starts at its heading, so keyboard and screen-reader users know where they are.
  useEffect(() => heading.current?.focus(), [step]);

  const setup = (): ProviderSetup | null => {
    if (!preset) return null;
    const key: ProviderSetupKey =
      draft.keySource === 'paste'
        ? { secret: draft.secret }
        : draft.keySource === 'env'
          ? { env: draft.envName.trim() || envNameFor(draft.id) }
          : null;
    return { id: draft.id.trim(), kind: preset.kind, ...(draft.baseUrl.trim() ? { baseUrl: draft.baseUrl.trim() } : {}), key };
  };

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const test = () =>
    run(async () => {
      const s = setup();
      if (!s) return;
      if (draft.keySource === 'paste' && !draft.secret.trim()) throw new Error('API key: paste the key, or choose another key source.');
      const found = await client.providers.discover(s);
      if (!found.ok) throw new Error(found.message);
      const preselect = found.models.length <= PRESELECT_UP_TO;
      setRows(found.models.map((m) => ({ ...rowFor(m), offered: preselect })));
      setSummary(`${found.message}${found.masked ? ` Key ${found.masked}.` : ''}${preselect ? '' : ' Choose the ones to offer.'}`);
      setStep('models');
    });

  const add = () =>
    run(async () => {
      const s = setup();
      if (!s) return;
      const { models, error: invalid } = modelsFromRows(rows);
      if (invalid) throw new Error(invalid);
      const created = await client.providers.create({ ...s, models });
      setDraft((d) => ({ ...d, secret: '' }));
      onDone(created);
    });

  return (
    <section className="card setup-flow" aria-label="Add a provider">
      <div className="setup-head">
        <h2 className="card-title" ref={heading} tabIndex={-1}>
          {step === 'connect' ? 'Add a provider' : `Choose the models of ${draft.id.trim()}`}
        </h2>
        <ol className="setup-steps" aria-label="Steps">
          <li aria-current={step === 'connect' ? 'step' : undefined}>1. Connect and test</li>
          <li aria-current={step === 'models' ? 'step' : undefined}>2. Models and prices</li>
        </ol>
      </div>
      {error && <ErrorNote>{error}</ErrorNote>}
      {busy && (
        <p className="sr-only" role="status">
          {step === 'connect' ? 'Testing the key and listing models…' : 'Adding the provider…'}
        </p>
      )}
      {step === 'connect' ? (
        <ConnectStep
          presets={presets}
          draft={draft}
          busy={busy}
          sessionOnly={sessionOnly}
          onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))}
          onPreset={(value) => choose(presets, value)}
          onSubmit={() => void test()}
          onCancel={() => (setDraft(EMPTY), onCancel())}
        />
      ) : (
        <ModelsStep
          providerId={draft.id.trim()}
          summary={summary}
          rows={rows}
          busy={busy}
          onRows={setRows}
          onBack={() => (setError(null), setStep('connect'))}
          onSubmit={() => void add()}
        />
      )}
    </section>
  );
}
