// Pasting a key for an existing provider: a label (several keys per provider rotate on errors) and
// the key, both with visible labels. The key goes to keys.set and the form forgets it at once.
import { useEffect, useRef, useState } from 'react';
import { Button } from '../../../ui/Button';

interface Props {
  providerId: string;
  sessionOnly: boolean;
  onSave(label: string, secret: string): Promise<boolean>;
  onCancel(): void;
}

export function KeyForm({ providerId, sessionOnly, onSave, onCancel }: Props) {
  const [label, setLabel] = useState('default');
  const [secret, setSecret] = useState('');
  const keyInput = useRef<HTMLInputElement>(null);
  useEffect(() => keyInput.current?.focus(), []);
  return (
    <form
      className="key-add"
      aria-label={`Add key to ${providerId}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!secret.trim()) return;
        void onSave(label, secret).then((saved) => saved && setSecret(''));
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <label className="field">
        <span className="field-label">Key label</span>
        <input value={label} spellCheck={false} onChange={(e) => setLabel(e.target.value)} />
      </label>
      <label className="field field-grow">
        <span className="field-label">API key</span>
        <input
          ref={keyInput}
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
        />
      </label>
      <div className="key-add-actions">
        <Button variant="primary" type="submit" className="btn-sm" disabled={!secret.trim()}>
          Save key
        </Button>
        <Button variant="ghost" className="btn-sm" onClick={() => (setSecret(''), onCancel())}>
          Cancel
        </Button>
      </div>
      {sessionOnly && (
        <p className="field-hint field-hint-warn key-add-note">No OS keychain is available: this key will be kept for this session only.</p>
      )}
    </form>
  );
}
