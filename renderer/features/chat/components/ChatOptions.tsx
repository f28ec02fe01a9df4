// The open conversation's own settings: its system prompt and temperature (kept with it; a new chat
// starts from the defaults in Settings), and the reasoning effort asked of reasoning models.
import { useEffect, useState } from 'react';

type Effort = '' | 'low' | 'medium' | 'high';

interface Props {
  id: string;
  /** Changes when another conversation opens: the fields show its settings. */
  conversationKey: string;
  systemPrompt: string;
  temperature: number | null;
  reasoningEffort: Effort;
  disabled: boolean;
  onChange(patch: { systemPrompt?: string; temperature?: number | null }): void;
  /** Stores the settings with the conversation (on leaving a field). */
  onSave(): void;
  onEffort(effort: Effort): void;
}

export function ChatOptions({
  id,
  conversationKey,
  systemPrompt,
  temperature,
  reasoningEffort,
  disabled,
  onChange,
  onSave,
  onEffort,
}: Props) {
  // The typed text, so "0." or an out-of-range value can be edited before it is taken.
  const [temp, setTemp] = useState(temperature === null ? '' : String(temperature));
  const [bad, setBad] = useState(false);
  useEffect(() => {
    setTemp(temperature === null ? '' : String(temperature));
    setBad(false);
  }, [conversationKey, temperature]);

  const takeTemperature = () => {
    const text = temp.trim();
    const value = text === '' ? null : Number(text);
    if (value !== null && (!Number.isFinite(value) || value < 0 || value > 2)) return setBad(true);
    setBad(false);
    onChange({ temperature: value });
    onSave();
  };

  return (
    <section id={id} className="chat-options" aria-label="Conversation options">
      <label className="chat-option chat-option-prompt">
        <span>System prompt</span>
        <textarea
          rows={2}
          value={systemPrompt}
          disabled={disabled}
          placeholder="None: the model's own behaviour"
          onChange={(e) => onChange({ systemPrompt: e.target.value })}
          onBlur={onSave}
        />
      </label>
      <div className="field-stack-row">
        <label className="chat-option">
          <span>Temperature</span>
          <input
            type="text"
            inputMode="decimal"
            value={temp}
            disabled={disabled}
            placeholder="Model default"
            aria-invalid={bad || undefined}
            aria-describedby={bad ? `${id}-temp-error` : undefined}
            onChange={(e) => setTemp(e.target.value)}
            onBlur={takeTemperature}
            onKeyDown={(e) => e.key === 'Enter' && takeTemperature()}
          />
        </label>
        <label className="chat-option">
          <span>Reasoning</span>
          <select
            aria-label="Reasoning effort"
            value={reasoningEffort}
            disabled={disabled}
            onChange={(e) => onEffort(e.target.value as Effort)}
          >
            <option value="">Not asked</option>
            <option value="low">Low</option>
            <option value="medium">Medium</option>
            <option value="high">High</option>
          </select>
        </label>
      </div>
      {bad && (
        <p id={`${id}-temp-error`} className="chat-option-error" role="alert">
          A temperature is a number from 0 to 2 (empty: the model's default).
        </p>
      )}
    </section>
  );
}
