// Which models take part in a compare: the shared searchable picker adds one at a time (type to
// filter, Enter to add; focus stays for the next), and the chosen ones sit beside it as chips that
// can be removed. Between 2 and 6.
import type { ModelChoice } from '../../../../shared/types';
import { ModelPicker } from '../../../ui/ModelPicker';

interface Props {
  models: ModelChoice[];
  selected: string[];
  max: number;
  disabled: boolean;
  onToggle(id: string): void;
}

export function ModelChooser({ models, selected, max, disabled, onToggle }: Props) {
  const left = models.filter((m) => !selected.includes(m.id));
  const full = selected.length >= max;
  return (
    <div className="model-chooser" role="group" aria-labelledby="compare-models-label">
      <span className="section-label" id="compare-models-label">
        Models ({selected.length}/{max})
      </span>
      <div className="model-chooser-row">
        <ModelPicker
          models={left}
          value=""
          label="Add a model"
          hideLabel
          disabled={disabled || full || left.length === 0}
          className="model-chooser-picker"
          onChange={(id) => id && onToggle(id)}
        />
        <ul className="chip-list" aria-label="Chosen models">
          {selected.map((id) => (
            <li key={id} className="chip chip-toggle is-on">
              <span className="mono">{id}</span>
              <button type="button" className="chip-remove" aria-label={`Remove ${id}`} disabled={disabled} onClick={() => onToggle(id)}>
                ×
              </button>
            </li>
          ))}
          {selected.length === 0 && <li className="muted small model-chooser-hint">Add two to six models or routes.</li>}
        </ul>
      </div>
    </div>
  );
}
