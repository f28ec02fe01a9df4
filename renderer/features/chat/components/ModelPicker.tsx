// Chooses what the next message is sent to: routes first (the usual choice), then direct
// provider/model ids, grouped so the two kinds are easy to tell apart.
import type { ModelChoice } from '../../../../shared/types';

interface Props {
  models: ModelChoice[];
  value: string;
  disabled?: boolean;
  onChange(id: string): void;
}

export function ModelPicker({ models, value, disabled, onChange }: Props) {
  const routes = models.filter((m) => m.kind === 'route');
  const direct = models.filter((m) => m.kind === 'model');
  return (
    <label className="model-picker">
      <span className="model-picker-label">Model</span>
      <select
        aria-label="Model"
        value={value}
        disabled={disabled || models.length === 0}
        onChange={(e) => onChange(e.target.value)}
      >
        {models.length === 0 && <option value="">No models configured</option>}
        {routes.length > 0 && (
          <optgroup label="Routes">
            {routes.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </optgroup>
        )}
        {direct.length > 0 && (
          <optgroup label="Models">
            {direct.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </optgroup>
        )}
      </select>
    </label>
  );
}
