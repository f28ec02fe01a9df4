// The window's frame: a skip link, a collapsible sidebar to move between screens, and the active
// screen, whose heading takes focus when the screen changes. Features get the typed client from here;
// they never pick a transport themselves. A screen stays mounted once visited, so a chat or a compare
// keeps streaming while you look elsewhere.
import { useEffect, useRef, useState, type ComponentType } from 'react';
import type { AppContract } from '../shared/contract';
import { focusHeading } from './lib/focus';
import type { ScreenProps } from './lib/screen';
import { useSidebar } from './lib/use-sidebar';
import { ChatScreen } from './features/chat/ChatScreen';
import { CompareScreen } from './features/compare/CompareScreen';
import { PortScreen } from './features/port/PortScreen';
import { ProvidersScreen } from './features/providers/ProvidersScreen';
import { RoutesScreen } from './features/routes/RoutesScreen';
import { SettingsScreen } from './features/settings/SettingsScreen';
import { SpendScreen } from './features/spend/SpendScreen';
import { TeamIcon } from './features/team/TeamIcon';
import { TeamScreen } from './features/team/TeamScreen';
import { useTeamMode } from './features/team/use-team-mode';
import { ChatIcon, CompareIcon, LogoIcon, PanelIcon, PortIcon, ProvidersIcon, RoutesIcon, SettingsIcon, SpendIcon } from './ui/Icons';

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

/** Shown only in team mode (`serve --ledger postgres://…`), after Port: members and their tokens. */
const TEAM_SCREEN: ScreenDef = { id: 'team', label: 'Team', icon: TeamIcon, Screen: TeamScreen };
const TEAM_SCREENS = [...SCREENS.slice(0, -1), TEAM_SCREEN, ...SCREENS.slice(-1)];

const hashId = () => window.location.hash.replace(/^#\/?/, '');

export function App({ client }: { client: AppContract }) {
  const team = useTeamMode(client);
  const screens = team ? TEAM_SCREENS : SCREENS;
  // The hash is kept as asked. A page opened at `#team` waits (an empty main) until the engine says
  // whether it is in team mode, rather than showing Chat for a moment and then jumping.
  const [wanted, setWanted] = useState(hashId);
  const current = screens.some((s) => s.id === wanted) || (team === null && wanted === TEAM_SCREEN.id) ? wanted : 'chat';
  const [visited, setVisited] = useState(() => new Set([current]));
  const sidebar = useSidebar();
  const shown = useRef<string | null>(null);

  useEffect(() => {
    const onHash = () => setWanted(hashId());
    // Ctrl/Cmd + 1..N jumps between screens from anywhere.
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
      const n = Number(e.key);
      if (n >= 1 && n <= screens.length) {
        e.preventDefault();
        window.location.hash = screens[n - 1]!.id;
      }
    };
    window.addEventListener('hashchange', onHash);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('keydown', onKey);
    };
  }, [screens]);

  useEffect(() => {
    setVisited((v) => (v.has(current) ? v : new Set([...v, current])));
    // Every screen's label (Team's too): `current` is always one of them.
    const label = TEAM_SCREENS.find((s) => s.id === current)?.label;
    document.title = label ? `${label} · Switchboard` : 'Switchboard';
    // A new screen takes focus at its heading (not on first load: the page starts where the browser puts it).
    const first = shown.current === null;
    shown.current = current;
    if (!first) requestAnimationFrame(() => focusHeading(`[data-screen="${current}"]`));
  }, [current]);

  return (
    <div className={`app${sidebar.collapsed ? ' nav-collapsed' : ''}`}>
      {/* The href is only for "open in new tab"; a click focuses the screen's heading (a hash would change screen). */}
      <a className="skip-link" href={`#${current}`} onClick={(e) => (e.preventDefault(), focusHeading(`[data-screen="${current}"]`))}>
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Sections">
        <div className="brand">
          <LogoIcon />
          <span className="brand-name">Switchboard</span>
        </div>
        <ul className="nav-list">
          {screens.map(({ id, label, icon: Icon }, i) => (
            <li key={id}>
              <a
                className="nav-item"
                href={`#${id}`}
                title={sidebar.collapsed ? label : undefined}
                aria-current={id === current ? 'page' : undefined}
                aria-keyshortcuts={`Control+${i + 1}`}
              >
                <Icon />
                <span className="nav-label">{label}</span>
              </a>
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="nav-toggle"
          aria-expanded={!sidebar.collapsed}
          aria-label={sidebar.collapsed ? 'Expand sidebar' : 'Collapse sidebar'}
          title={sidebar.collapsed ? 'Expand sidebar' : 'Collapse sidebar'}
          onClick={sidebar.toggle}
        >
          <PanelIcon />
          <span className="nav-label">Collapse</span>
        </button>
      </nav>
      <main className="app-main">
        {screens
          .filter((s) => visited.has(s.id) || s.id === current)
          .map(({ id, Screen }) => (
            <div key={id} className="screen" hidden={id !== current} data-screen={id}>
              <Screen client={client} active={id === current} />
            </div>
          ))}
      </main>
    </div>
  );
}
