// Settings > Chat: what a new chat starts with (model, system prompt, temperature) and the chat's
// text size. Kept in the engine's settings; Chat follows a change at once (renderer/lib/chat-defaults).
import { useEffect, useState, type FormEvent } from 'react';
import type { AppContract } from '../../../../shared/contract';
import type { ChatDefaults, ModelChoice } from '../../../../shared/types';
import { loadChatDefaults, saveChatDefaults } from '../../../lib/chat-defaults';
import { Button } from '../../../ui/Button';
import { ErrorNote } from '../../../ui/ErrorNote';
import { ModelPicker } from '../../../ui/ModelPicker';
import { Card } from '../../../ui/Page';
import './chat-defaults.css';

const SIZES = [12, 13, 14, 15, 16, 18, 20, 22, 24];

export function ChatDefaultsCard({ client, active }: { client: AppContract; active: boolean }) {
  const [models, setModels] = useState<ModelChoice[]>([]);
  const [form, setForm] = useState<ChatDefaults | null>(null);
  const [temp, setTemp] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!active) return;
    Promise.all([loadChatDefaults(client), client.models.list()]).then(
      ([defaults, list]) => {
        setForm(defaults);
        setTemp(defaults.temperature === null ? '' : String(defaults.temperature));
        setModels(list);
      },
      (e: Error) => setError(e.message),
    );
  }, [client, active]);

  const change = (patch: Partial<ChatDefaults>) => {
    setSaved(false);
    setForm((f) => (f ? { ...f, ...patch } : f));
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!form) return;
    setError(null);
    const text = temp.trim();
    const temperature = text === '' ? null : Number(text);
    if (temperature !== null && (!Number.isFinite(temperature) || temperature < 0 || temperature > 2)) {
      setError("A temperature is a number from 0 to 2 (empty: the model's default).");
      return;
    }
    try {
      const next = await saveChatDefaults(client, { ...form, temperature });
      setForm(next);
      setSaved(true);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  if (!form) return error ? <ErrorNote>{error}</ErrorNote> : null;
  return (
    <Card label="Chat" title="Chat">
      <form className="chat-defaults" aria-label="Chat defaults" onSubmit={(e) => void save(e)}>
        {error && <ErrorNote>{error}</ErrorNote>}
        {saved && (
          <p role="status" className="small good-text">
            Saved: chat defaults.
          </p>
        )}
        <ModelPicker
          label="Default model"
          models={models}
          value={form.model ?? ''}
          noneLabel="First route"
          onChange={(id) => change({ model: id || null })}
        />
        <label className="field-stack">
          <span>System prompt for new chats</span>
          <textarea rows={3} value={form.systemPrompt} placeholder="None" onChange={(e) => change({ systemPrompt: e.target.value })} />
        </label>
        <div className="field-stack-row">
          <label className="field-stack">
            <span>Temperature</span>
            <input
              inputMode="decimal"
              value={temp}
              placeholder="Model default"
              onChange={(e) => {
                setSaved(false);
                setTemp(e.target.value);
              }}
            />
          </label>
          <label className="field-stack">
            <span>Chat text size</span>
            <select value={form.fontSize} onChange={(e) => change({ fontSize: Number(e.target.value) })}>
              {SIZES.map((px) => (
                <option key={px} value={px}>
                  {px} px{px === 15 ? ' (default)' : ''}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p className="muted small">New chats start with these; a conversation keeps its own model, prompt and temperature once started.</p>
        <div>
          <Button variant="secondary" type="submit">
            Save chat defaults
          </Button>
        </div>
      </form>
    </Card>
  );
}
