// Edits one model's price (USD per million tokens) as the user's own override (catalog.setOverride),
// which wins over the config and the price lists; "Use the listed price" removes the override.
import { useEffect, useRef, useState } from 'react';
import type { AppContract } from '../../../../shared/contract';
import type { ModelInfo } from '../../../../shared/types';
import { Button } from '../../../ui/Button';
import { ErrorNote } from '../../../ui/ErrorNote';
import { parsePrice, PRICE_FIELDS, priceText } from '../provider-form';

interface Props {
  client: AppContract;
  providerId: string;
  model: ModelInfo;
  onClose(): void;
}

export function PriceEditor({ client, providerId, model, onClose }: Props) {
  const [text, setText] = useState(() => priceText(model.price));
  const [error, setError] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);
  const name = `${providerId}/${model.id}`;
  useEffect(() => first.current?.focus(), []);

  const save = async (clear: boolean) => {
    setError(null);
    try {
      if (clear) {
        await client.catalog.setOverride(name, null);
      } else {
        // Parts this form does not show (1-hour cache writes, reasoning) are kept as they were.
        const { price, error: invalid } = parsePrice(text, model.price ?? {});
        if (invalid) throw new Error(invalid);
        if (!price) throw new Error('Enter at least one price, or leave the editor with Cancel.');
        await client.catalog.setOverride(name, price);
      }
      onClose();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <form
      className="price-editor"
      aria-label={`Price of ${name}`}
      onSubmit={(e) => {
        e.preventDefault();
        void save(false);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <p className="small muted">USD per million tokens; blank parts stay unknown.</p>
      <div className="price-fields">
        {PRICE_FIELDS.map((f, i) => (
          <label key={f.key} className="field">
            <span className="field-label">{f.label}</span>
            <input
              ref={i === 0 ? first : undefined}
              className="num-input"
              inputMode="decimal"
              value={text[f.key] ?? ''}
              placeholder="unknown"
              onChange={(e) => setText({ ...text, [f.key]: e.target.value })}
            />
          </label>
        ))}
      </div>
      {error && <ErrorNote>{error}</ErrorNote>}
      <div className="card-actions">
        <Button variant="primary" type="submit" className="btn-sm">
          Save price
        </Button>
        {model.priceSource === 'override' && (
          <Button variant="secondary" className="btn-sm" onClick={() => void save(true)}>
            Use the listed price
          </Button>
        )}
        <Button variant="ghost" className="btn-sm" onClick={onClose}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
