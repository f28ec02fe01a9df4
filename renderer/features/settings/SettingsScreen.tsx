// Settings: the colour theme (kept in this window's storage), and the engine-kept preferences:
// chat defaults, proxies, the data folder, start on login and tray behaviour.
import { useStore } from 'zustand';
import { themeStore, type ThemeChoice } from '../../lib/theme';
import type { ScreenProps } from '../../lib/screen';
import { Card, PageHeader } from '../../ui/Page';
import { ChatDefaultsCard } from './components/ChatDefaultsCard';
import { PreferencesCards } from './components/PreferencesCards';

const CHOICES: Array<{ value: ThemeChoice; label: string; hint: string }> = [
  { value: 'light', label: 'Light', hint: 'Always light' },
  { value: 'dark', label: 'Dark', hint: 'Always dark' },
  { value: 'system', label: 'System', hint: 'Follow the operating system' },
];

export function SettingsScreen({ client, active }: ScreenProps) {
  const { choice, setChoice } = useStore(themeStore);
  return (
    <div className="page">
      <PageHeader title="Settings" />
      <Card label="Appearance" title="Appearance">
        <fieldset className="segmented">
          <legend className="section-label">Theme</legend>
          {CHOICES.map((c) => (
            <label key={c.value} className={`segment${choice === c.value ? ' is-on' : ''}`}>
              <input type="radio" name="theme" value={c.value} checked={choice === c.value} onChange={() => setChoice(c.value)} />
              <span className="segment-label">{c.label}</span>
              <span className="segment-hint">{c.hint}</span>
            </label>
          ))}
        </fieldset>
      </Card>
      <ChatDefaultsCard client={client} active={active} />
      <PreferencesCards client={client} active={active} />
    </div>
  );
}
