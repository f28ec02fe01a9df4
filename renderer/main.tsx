// Renderer entry: builds the client for whichever transport this page has and mounts the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createDefaultClient } from './bridge/client';
import { installTheme } from './lib/theme';
import './styles.css';
import './editing.css';
import './layout.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

installTheme();
createRoot(root).render(
  <StrictMode>
    <App client={createDefaultClient()} />
  </StrictMode>,
);
