// The window's frame: a sidebar to move between screens and the active screen. Features get the
// typed client from here; they never pick a transport themselves. A screen stays mounted once
// visited, so a chat or a compare keeps streaming while you look elsewhere.
import { useEffect, useState, type ComponentType } from 'react';
import type { AppContract } from '../shared/contract';
import type { ScreenProps } from './lib/screen';
import { ChatScreen } from './features/chat/ChatScreen';
import { CompareScreen } from './features/compare/CompareScreen';
import { PortScreen } from './features/port/PortScreen';
import { ProvidersScreen } from './features/providers/ProvidersScreen';
import { RoutesScreen } from './features/routes/RoutesScreen';
import { SettingsScreen } from './features/settings/SettingsScreen';
import { SpendScreen } from './features/spend/SpendScreen';
import { ChatIcon, CompareIcon, LogoIcon, PortIcon, ProvidersIcon, RoutesIcon, SettingsIcon, SpendIcon } from './ui/Icons';


interface ScreenDef {
  id: string;
  label: string;
  icon: ComponentType;
  Screen: ComponentType<ScreenProps>;
}

const SCREENS: ScreenDef[] = [
  { id: 'chat', label: 'Chat', icon: ChatIcon, Screen: ({ client }) => <ChatScreen client={client} /> },
  { id: 'compare', label: 'Compare', icon: CompareIcon, Screen: CompareScreen },
  { id: 'spend', label: 'Spend', icon: SpendIcon, Screen: SpendScreen },
  { id: 'providers', label: 'Providers', icon: ProvidersIcon, Screen: ProvidersScreen },
  { id: 'routes', label: 'Routes', icon: RoutesIcon, Screen: RoutesScreen },
  { id: 'port', label: 'Port', icon: PortIcon, Screen: PortScreen },
  { id: 'settings', label: 'Settings', icon: SettingsIcon, Screen: SettingsScreen },
];

const screenFromHash = () => {
  const id = window.location.hash.replace(/^#\/?/, '');
  return SCREENS.some((s) => s.id === id) ? id : 'chat';
};

export function App({ client }: { client: AppContract }) {
  const [current, setCurrent] = useState(screenFromHash);
  const [visited, setVisited] = useState(() => new Set([current]));

  useEffect(() => {
    const onHash = () => setCurrent(screenFromHash());
    // Ctrl/Cmd + 1..7 jumps between screens from anywhere.
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
      const n = Number(e.key);
      if (n >= 1 && n <= SCREENS.length) {
        e.preventDefault();
        window.location.hash = SCREENS[n - 1]!.id;
      }
    };
    window.addEventListener('hashchange', onHash);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('keydown', onKey);
    };
  }, []);

  useEffect(() => {
    setVisited((v) => (v.has(current) ? v : new Set([...v, current])));
    const label = SCREENS.find((s) => s.id === current)?.label;
    document.title = label ? `${label} · Switchboard` : 'Switchboard';
  }, [current]);

  return (
    <div className="app">
      <nav className="sidebar" aria-label="Sections">
        <div className="brand">
          <LogoIcon />
          <span className="brand-name">Switchboard</span>
        </div>
        <ul className="nav-list">
          {SCREENS.map(({ id, label, icon: Icon }, i) => (
            <li key={id}>
              <a className="nav-item" href={`#${id}`} aria-current={id === current ? 'page' : undefined} aria-keyshortcuts={`Control+${i + 1}`}>
                <Icon />
                <span>{label}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="app-main">
        {SCREENS.filter((s) => visited.has(s.id) || s.id === current).map(({ id, Screen }) => (
          <div key={id} className="screen" hidden={id !== current} data-screen={id}>
            <Screen client={client} active={id === current} />
          </div>
        ))}
      </main>
    </div>
  );
}
