// Copy-ready setup for each tool, from the engine's guides, with this port's address, a model name
// and (if one was just created) the new token filled in. Steps mark code with backticks, shown as code.
import { useEffect, useState, type ReactNode } from 'react';
import type { AppContract } from '../../../../shared/contract';
import type { ToolSetupGuide } from '../../../../shared/types';
import { CopyButton } from '../../../ui/CopyButton';
import { ErrorNote } from '../../../ui/ErrorNote';
import { Card } from '../../../ui/Page';

const fill = (text: string, values: Record<string, string>) => text.replace(/\{\{(\w+)\}\}/g, (m, k: string) => values[k] ?? m);

/** A step's text with `backticked` spans as inline code (an unpaired backtick stays as it is). */
export function inlineCode(text: string): ReactNode[] {
  return text
    .split(/(`[^`]+`)/g)
    .map((part, i) => (part.length > 2 && part.startsWith('`') && part.endsWith('`') ? <code key={i}>{part.slice(1, -1)}</code> : part));
}

export function SetupGuides({
  client,
  baseUrl,
  model,
  token,
}: {
  client: AppContract;
  baseUrl: string;
  model: string;
  token: string | null;
}) {
  const [guides, setGuides] = useState<ToolSetupGuide[]>([]);
  const [tab, setTab] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    client.port.setupGuides().then(
      (g) => (setGuides(g), setTab((t) => t || g[0]?.id || '')),
      (e: Error) => setError(e.message),
    );
  }, [client]);
  const guide = guides.find((g) => g.id === tab);
  const values = { baseUrl, model, token: token ?? 'YOUR_SWITCHBOARD_TOKEN' };
  return (
    <Card label="Setup snippets" title="Set up a tool">
      {error && <ErrorNote>{error}</ErrorNote>}
      <div role="tablist" aria-label="Tool" className="tabs">
        {guides.map((g) => (
          <button key={g.id} type="button" role="tab" aria-selected={tab === g.id} className="tab" onClick={() => setTab(g.id)}>
            {g.name}
          </button>
        ))}
      </div>
      {guide && (
        <div role="tabpanel" aria-label={guide.name}>
          <ol className="guide-steps">
            {guide.steps.map((s, i) => (
              <li key={i}>{inlineCode(fill(s, values))}</li>
            ))}
          </ol>
          {guide.snippets.map((s) => {
            const text = fill(s.text, values);
            return (
              <div key={s.label} className="code-block">
                <div className="code-block-bar">
                  <span className="code-block-lang">{s.label}</span>
                  <CopyButton text={text} label={`Copy ${s.label}`} />
                </div>
                {/* Focusable, so a long snippet can be scrolled from the keyboard. */}
                <pre tabIndex={0} aria-label={s.label}>
                  <code data-testid="snippet">{text}</code>
                </pre>
              </div>
            );
          })}
        </div>
      )}
    </Card>
  );
}
