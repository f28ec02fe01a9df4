// The window's frame: brand, navigation between features, and the active screen. Features get the
// typed client from here; they never pick a transport themselves.
import type { AppContract } from '../shared/contract';
import { ChatScreen } from './features/chat/ChatScreen';
import { LogoIcon } from './ui/Icons';

export function App({ client }: { client: AppContract }) {
  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <LogoIcon />
          <span className="brand-name">Switchboard</span>
        </div>
        <nav className="app-nav" aria-label="Sections">
          <a className="app-nav-item" aria-current="page" href="#chat">
            Chat
          </a>
        </nav>
      </header>
      <main className="app-main">
        <ChatScreen client={client} />
      </main>
    </div>
  );
}
