// Step 1 of adding a provider: which kind or vendor, its id and base URL, and its key (pasted, from
// an environment variable, or none). Submitting tests the key and lists the models; nothing is stored.
import { useId, type ReactNode } from 'react';
import type { ProviderPreset } from '../../../../shared/types';
import { Button } from '../../../ui/Button';
import { envNameFor, presetValue } from '../provider-form';

export type KeySource = 'paste' | 'env' | 'none';

export interface ConnectDraft {
  preset: string;
  id: string;
  baseUrl: string;
  keySource: KeySource;
  secret: string;
  envName: string;
}

interface Props {
  presets: ProviderPreset[];
  draft: ConnectDraft;
  busy: boolean;
  /** The key would be kept for this session only (no OS keychain). */
  sessionOnly: boolean;
  onChange(patch: Partial<ConnectDraft>): void;
  onPreset(value: string): void;
  onSubmit(): void;
  onCancel(): void;
}

/** A labelled field whose hint describes the input without becoming part of its name. */
function Field({
  id,
  label,
  hint,
  warn,
  wide,
  children,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  warn?: boolean;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={`field${wide ? ' field-wide' : ''}`}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children}
      {hint && (
        <span id={`${id}-hint`} className={`field-hint${warn ? ' field-hint-warn' : ''}`}>
          {hint}
        </span>
      )}
    </div>
  );
}

export function ConnectStep({ presets, draft, busy, sessionOnly, onChange, onPreset, onSubmit, onCancel }: Props) {
  const uid = useId();
  const preset = presets.find((p) => presetValue(p) === draft.preset);
  const kinds = presets.filter((p) => !p.baseUrl);
  const vendors = presets.filter((p) => p.baseUrl);
  const urlHint = preset?.needsBaseUrl
    ? 'Required: the address its API documents, ending in /v1 for most servers.'
    : preset?.baseUrl
      ? 'Filled in from the preset; change it to use another server.'
      : 'Optional: leave empty for the official API.';
  return (
    <form
      className="setup-form"
      aria-label="Connect a provider"
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) onSubmit();
      }}
    >
      <div className="setup-fields">
        <label className="field">
          <span className="field-label">Provider type</span>
          <select value={draft.preset} onChange={(e) => onPreset(e.target.value)}>
            <optgroup label="Providers">
              {kinds.map((p) => (
                <option key={presetValue(p)} value={presetValue(p)}>
                  {p.label}
                </option>
              ))}
            </optgroup>
            <optgroup label="OpenAI-compatible vendors">
              {vendors.map((p) => (
                <option key={presetValue(p)} value={presetValue(p)}>
                  {p.label}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <Field
          id={`${uid}-id`}
          label="Provider id"
          hint={
            <>
              Names it in model ids: <span className="mono">{draft.id || 'id'}/model</span>
            </>
          }
        >
          <input
            id={`${uid}-id`}
            value={draft.id}
            required
            spellCheck={false}
            aria-describedby={`${uid}-id-hint`}
            onChange={(e) => onChange({ id: e.target.value })}
          />
        </Field>
        <Field id={`${uid}-url`} label="Base URL" hint={urlHint} wide>
          <input
            id={`${uid}-url`}
            type="url"
            value={draft.baseUrl}
            required={preset?.needsBaseUrl}
            spellCheck={false}
            placeholder={preset?.needsBaseUrl ? 'https://api.example.com/v1' : 'the official API'}
            aria-describedby={`${uid}-url-hint`}
            onChange={(e) => onChange({ baseUrl: e.target.value })}
          />
        </Field>
      </div>
      <fieldset className="setup-key">
        <legend className="field-label">Key</legend>
        <div className="radio-row">
          {(['paste', 'env', 'none'] as const).map((source) => (
            <label key={source} className="radio">
              <input
                type="radio"
                name={`${uid}-source`}
                value={source}
                checked={draft.keySource === source}
                onChange={() => onChange({ keySource: source })}
              />
              <span>{source === 'paste' ? 'Paste a key' : source === 'env' ? 'Environment variable' : 'No key'}</span>
            </label>
          ))}
        </div>
        {draft.keySource === 'paste' && (
          <Field
            id={`${uid}-key`}
            label="API key"
            wide
            warn={sessionOnly}
            hint={
              sessionOnly
                ? 'No OS keychain is available: this key will be kept for this session only (see the note above).'
                : 'Kept in your OS keychain; this window only ever shows it masked.'
            }
          >
            <input
              id={`${uid}-key`}
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={draft.secret}
              aria-describedby={`${uid}-key-hint`}
              onChange={(e) => onChange({ secret: e.target.value })}
            />
          </Field>
        )}
        {draft.keySource === 'env' && (
          <Field
            id={`${uid}-env`}
            label="Environment variable"
            wide
            hint="Read where Switchboard runs, at each request; set it there (then restart Switchboard). Nothing is stored."
          >
            <input
              id={`${uid}-env`}
              value={draft.envName}
              spellCheck={false}
              placeholder={envNameFor(draft.id)}
              aria-describedby={`${uid}-env-hint`}
              onChange={(e) => onChange({ envName: e.target.value })}
            />
          </Field>
        )}
        {draft.keySource === 'none' && (
          <p className="field-hint">For servers that need no key, like Ollama or LM Studio on this machine.</p>
        )}
      </fieldset>
      <div className="form-actions">
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
        <Button variant="primary" type="submit" aria-disabled={busy || undefined}>
          {busy ? 'Testing…' : 'Test and list models'}
        </Button>
      </div>
    </form>
  );
}
