// The one searchable model picker (Chat, Compare, route editing, budgets): an ARIA combobox whose
// listbox groups the choices, routes first and then by provider, at a fixed width whatever the ids.
//
// Props:
//   models     the choices, as models.list() returns them (routes and `provider/model` ids)
//   value      the chosen id ('' = nothing chosen; an id not in `models` is shown as it is)
//   onChange   called with the id picked (or '' for the `noneLabel` choice)
//   label      visible label and accessible name (default "Model"); `hideLabel` keeps it for screen readers only
//   disabled   greys it out (e.g. while a reply streams)
//   noneLabel  adds a first choice meaning "none" (value ''), e.g. "First route" for an unset default
//   className  extra class on the wrapper, e.g. to change the width (16rem by default)
//
// Keyboard: type to filter, Up/Down (wrapping) and Page Up/Down to move, Enter to pick, Escape to close.
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ModelChoice } from '../../shared/types';
import { afterTyping, displayName, flatten, groupChoices, onKey, type PickerState } from './model-picker-logic';
import './model-picker.css';

export interface ModelPickerProps {
  models: readonly ModelChoice[];
  value: string;
  onChange(id: string): void;
  label?: string;
  hideLabel?: boolean;
  disabled?: boolean;
  noneLabel?: string;
  className?: string;
}

const CLOSED: PickerState = { open: false, active: -1 };
/** Stands for the `noneLabel` choice in the key logic (only its position matters there). */
const NONE: ModelChoice = { id: '', kind: 'route', label: '' };

export function ModelPicker({ models, value, onChange, label = 'Model', hideLabel, disabled, noneLabel, className }: ModelPickerProps) {
  const base = useId();
  const [query, setQuery] = useState('');
  const [state, setState] = useState<PickerState>(CLOSED);
  const input = useRef<HTMLInputElement>(null);

  const groups = useMemo(() => groupChoices(models, query), [models, query]);
  const none: ModelChoice | null = noneLabel !== undefined && !query.trim() ? { id: '', kind: 'route', label: noneLabel } : null;
  const options = [...(none ? [none] : []), ...flatten(groups)];
  const optionId = (i: number) => `${base}-o${i}`;
  const selected = models.find((m) => m.id === value);
  const shown = value === '' ? (noneLabel ?? '') : selected ? displayName(selected) : value;
  const empty = models.length === 0;

  // Keep the highlighted option in view as the arrows move through a long list.
  useEffect(() => {
    if (state.open && state.active >= 0) document.getElementById(`${base}-o${state.active}`)?.scrollIntoView({ block: 'nearest' });
  }, [state, base]);

  const close = () => {
    setState(CLOSED);
    setQuery('');
    // Show a long id from its start (the provider), not from where the caret was.
    requestAnimationFrame(() => {
      const el = input.current;
      if (el && document.activeElement === el) el.setSelectionRange(0, 0);
      if (el) el.scrollLeft = 0;
    });
  };
  const pick = (id: string) => {
    close();
    if (id !== value) onChange(id);
  };
  const open = () => {
    if (disabled || empty) return;
    const at = options.findIndex((o) => o.id === value);
    setState({ open: true, active: at >= 0 ? at : options.length ? 0 : -1 });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing) return;
    const result = onKey(state, e.key, options, value);
    if (result.handled) e.preventDefault();
    if (result.pick !== undefined) pick(result.pick);
    else if (!result.state.open && state.open) close();
    else setState(result.state);
  };

  let index = none ? 1 : 0;
  const renderOption = (m: ModelChoice, i: number) => (
    <div
      key={m.id || '(none)'}
      id={optionId(i)}
      role="option"
      aria-selected={m.id === value}
      className={`model-picker-option${i === state.active ? ' is-active' : ''}${m.id === '' ? ' is-none' : ''}`}
      title={m.id || m.label}
      // Keep focus in the text box: a click must not blur (and close) the list before it lands.
      onMouseDown={(e) => e.preventDefault()}
      onMouseMove={() => i !== state.active && setState({ open: true, active: i })}
      onClick={() => pick(m.id)}
    >
      {m.id === '' ? m.label : displayName(m)}
    </div>
  );

  return (
    <div className={`model-picker${className ? ` ${className}` : ''}`}>
      <label htmlFor={`${base}-input`} id={`${base}-label`} className={hideLabel ? 'sr-only' : 'model-picker-label'}>
        {label}
      </label>
      <div className="model-picker-field">
        <input
          ref={input}
          id={`${base}-input`}
          className="model-picker-input"
          role="combobox"
          aria-expanded={state.open}
          aria-controls={state.open ? `${base}-list` : undefined}
          aria-autocomplete="list"
          aria-activedescendant={state.open && state.active >= 0 ? optionId(state.active) : undefined}
          autoComplete="off"
          spellCheck={false}
          disabled={disabled || empty}
          title={value || undefined}
          value={state.open ? query : shown}
          placeholder={empty ? 'No models configured' : state.open ? shown || 'Type to filter' : 'Choose a model'}
          onChange={(e) => {
            const text = e.target.value;
            setQuery(text);
            // The first match is highlighted (the "none" choice only stays while nothing is typed).
            const noneStays = noneLabel !== undefined && !text.trim();
            setState(afterTyping([...(noneStays ? [NONE] : []), ...flatten(groupChoices(models, text))]));
          }}
          onClick={() => (state.open ? close() : open())}
          onBlur={close}
          onKeyDown={onKeyDown}
        />
        <span className="model-picker-chevron" aria-hidden="true" />
        {state.open && (
          <div className="model-picker-popup">
            <div role="listbox" id={`${base}-list`} aria-labelledby={`${base}-label`} className="model-picker-list">
              {none && renderOption(none, 0)}
              {groups.map((g) => (
                <div key={g.key} role="group" aria-labelledby={`${base}-${g.key}`} className="model-picker-group">
                  <div id={`${base}-${g.key}`} className="model-picker-group-label" role="presentation">
                    {g.label}
                  </div>
                  {g.options.map((m) => renderOption(m, index++))}
                </div>
              ))}
            </div>
            {options.length === 0 && <p className="model-picker-empty">No model matches “{query.trim()}”.</p>}
          </div>
        )}
      </div>
    </div>
  );
}
