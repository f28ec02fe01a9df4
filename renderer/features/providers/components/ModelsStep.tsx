// Step 2 of adding a provider: the models its API listed, each with the context window and prices the
// catalog suggests (or blanks to fill in), all editable; the user keeps the ones to offer, may add ids
// the API does not list, and adds the provider. Blank prices stay unknown, never $0.
import { useState } from 'react';
import { Button } from '../../../ui/Button';
import { TableScroll } from '../../../ui/TableScroll';
import { PRICE_FIELDS, suggestionLabel, type ModelRow } from '../provider-form';

interface Props {
  providerId: string;
  summary: string;
  rows: ModelRow[];
  busy: boolean;
  onRows(rows: ModelRow[]): void;
  onBack(): void;
  onSubmit(): void;
}

/** Price inputs shown per row here (cache writes are rare; the price editor has them). */
const ROW_PRICES = PRICE_FIELDS.filter((f) => f.key !== 'cacheWrite');

export function ModelsStep({ providerId, summary, rows, busy, onRows, onBack, onSubmit }: Props) {
  const [extra, setExtra] = useState('');
  const [filter, setFilter] = useState('');
  const set = (i: number, patch: Partial<ModelRow>) => onRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const shown = rows
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => !filter.trim() || r.id.toLowerCase().includes(filter.trim().toLowerCase()));
  const chosen = rows.filter((r) => r.offered).length;
  const addExtra = () => {
    const id = extra.trim();
    if (!id) return;
    if (!rows.some((r) => r.id === id)) onRows([...rows, { id, offered: true, window: '', price: {} }]);
    setExtra('');
  };

  return (
    <form
      className="setup-form"
      aria-label="Choose models"
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) onSubmit();
      }}
    >
      <p className="setup-summary" role="status">
        ✓ {summary}
      </p>
      {rows.length > 8 && (
        <label className="field">
          <span className="field-label">Find a model</span>
          <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
        </label>
      )}
      <TableScroll label={`Models of ${providerId}`}>
        <table className="table compact setup-models" aria-label={`Models of ${providerId}`}>
          <thead>
            <tr>
              <th scope="col">Offer</th>
              <th scope="col">Model</th>
              <th scope="col">Context window</th>
              {ROW_PRICES.map((f) => (
                <th key={f.key} scope="col">
                  {f.label} $/1M
                </th>
              ))}
              <th scope="col">Price from</th>
            </tr>
          </thead>
          <tbody>
            {shown.map(({ r, i }) => (
              <tr key={r.id}>
                <td>
                  <input
                    type="checkbox"
                    checked={r.offered}
                    aria-label={`Offer ${r.id}`}
                    onChange={(e) => set(i, { offered: e.target.checked })}
                  />
                </td>
                <td className="mono">{r.id}</td>
                <td>
                  <input
                    className="num-input"
                    inputMode="numeric"
                    value={r.window}
                    aria-label={`Context window of ${r.id} (tokens)`}
                    placeholder="unknown"
                    onChange={(e) => set(i, { window: e.target.value })}
                  />
                </td>
                {ROW_PRICES.map((f) => (
                  <td key={f.key}>
                    <input
                      className="num-input"
                      inputMode="decimal"
                      value={r.price[f.key] ?? ''}
                      aria-label={`${f.label} price of ${r.id} (USD per million tokens)`}
                      placeholder="unknown"
                      onChange={(e) => set(i, { price: { ...r.price, [f.key]: e.target.value } })}
                    />
                  </td>
                ))}
                <td className="small muted">{suggestionLabel(r.found)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <div className="setup-extra">
        <label className="field">
          <span className="field-label">A model the API does not list</span>
          <input
            value={extra}
            spellCheck={false}
            placeholder="model id"
            onChange={(e) => setExtra(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                addExtra();
              }
            }}
          />
        </label>
        <Button variant="secondary" onClick={addExtra} disabled={!extra.trim()}>
          Add model id
        </Button>
      </div>
      <p className="field-hint">
        A blank price stays unknown: requests to that model are counted, with their cost shown as unknown rather than $0.
      </p>
      <div className="form-actions">
        <Button variant="ghost" onClick={onBack}>
          Back
        </Button>
        <Button variant="primary" type="submit" aria-disabled={busy || chosen === 0 || undefined}>
          {busy ? 'Adding…' : `Add provider with ${chosen} model${chosen === 1 ? '' : 's'}`}
        </Button>
      </div>
    </form>
  );
}
