// Electron main process: one locked-down window, the engine in-process, and the app-service
// contract bound to IPC. Thin on purpose; everything that matters lives in electron/engine.
import { app, BrowserWindow, clipboard, dialog, ipcMain, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from './engine/app';
import type { App, AppOptions } from './engine/app-types';
import { DEFAULT_PORT } from './engine/gateway/port-address';
import { tuneV8ForGateway } from './engine/v8-tuning';
import { bindContract, type ContractBinding } from './ipc/bind-contract';
import { createSenderCheck } from './ipc/sender-check';
import { DATA_DIR_ENV, defaultDataDir } from './paths';
import { keepDownloadsPrivate } from './shell/downloads';
import { installAppMenu } from './shell/menu';
import { createTray } from './shell/tray';

const HOST = '127.0.0.1';
const CLOSE_TIMEOUT_MS = 5000;

// Built layout: dist/electron/main.js next to preload.cjs, the renderer in dist/renderer.
const here = path.dirname(fileURLToPath(import.meta.url));
const preloadFile = path.join(here, 'preload.cjs');
const rendererDir = path.join(here, '..', 'renderer');
const rendererFile = path.join(rendererDir, 'index.html');
// A dev server (Vite) may stand in for the built renderer, but never in a packaged app, where an
// environment variable must not be able to point our privileged window at another page.
const devServerUrl = app.isPackaged ? undefined : webUrl(process.env.SWITCHBOARD_DEV_SERVER_URL);

let mainWindow: BrowserWindow | undefined;
let binding: ContractBinding | undefined;
let starting: Promise<App | undefined> | undefined;
let quitting = false;
let tray: ReturnType<typeof createTray> | undefined;
/** The port's URL while it listens (the tray and the menu's Copy port URL read it). */
let gatewayUrl: string | undefined;
let portProblem: string | undefined;
/** Desktop preferences from settings (start on login, close to tray), applied here. */
let closeToTray = false;
/** Set once a quit is asked for (tray, menu, Cmd+Q), so closing windows then is not turned into hiding. */
let leaving = false;

const isTrustedSender = createSenderCheck({
  rendererFile,
  devServerUrl,
  webContentsId: () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents.id : undefined),
});

if (!app.requestSingleInstanceLock()) {
  // Another Switchboard owns the data dir and the port; it focuses its window (second-instance).
  app.quit();
} else {
  // Fixed name so the data folder is "Switchboard" whatever package.json's lowercase name says.
  app.setPath('userData', process.env[DATA_DIR_ENV]?.trim() || path.join(app.getPath('appData'), 'Switchboard'));
  app.on('second-instance', focusMainWindow);
  app.on('web-contents-created', (_event, contents) => {
    // The UI is a single page: no navigation, no popups, no <webview>. Web links open in the browser.
    contents.on('will-navigate', (event, url) => {
      event.preventDefault();
      openExternally(url);
    });
    contents.setWindowOpenHandler(({ url }) => {
      openExternally(url);
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (binding && BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
  app.on('before-quit', () => {
    leaving = true;
  });
  app.on('will-quit', onWillQuit);
  // `npm start` runs us in a terminal: Ctrl-C and kill should still close the ledger cleanly. A repeat
  // (the terminal and npm start both pass Ctrl-C on) must not cut that close short; the timeout bounds it.
  process.on('SIGINT', () => app.quit());
  process.on('SIGTERM', () => app.quit());
  void start();
}

async function start(): Promise<void> {
  // The main process hosts the port: keep its heap near its live size, optimize its request path early (v8-tuning.ts).
  tuneV8ForGateway();
  await app.whenReady();
  allowOnlyClipboardWrites();
  keepDownloadsPrivate(session.defaultSession);
  starting = startEngine().catch((error: unknown) => {
    dialog.showErrorBox('Switchboard could not start', messageOf(error));
    app.exit(1);
    return undefined;
  });
  const core = await starting;
  if (!core || quitting) return;
  binding = bindContract(ipcMain, withDesktopPreferences(core.services), isTrustedSender);
  applyDesktopPreferences(await core.services.settings.preferences().catch(() => undefined));
  gatewayUrl = core.gateway?.url;
  const copyPortUrl = () => gatewayUrl && clipboard.writeText(`${gatewayUrl}/v1`);
  installAppMenu({ copyPortUrl, dataDir: defaultDataDir() });
  try {
    tray = createTray(
      path.join(here, 'assets'),
      { gatewayUrl, gatewayProblem: portProblem },
      { show: showMainWindow, quit: () => app.quit() },
    );
  } catch (error) {
    // Some Linux desktops have no tray; the app is fully usable without it.
    console.error(`Switchboard: no tray icon (${messageOf(error)})`);
  }
  mainWindow = createWindow();
}

/**
 * The contract as bound to IPC, with preference changes applied to the shell as they are saved and the
 * tray and menu following the port when it is switched on or off from the window.
 */
function withDesktopPreferences(services: App['services']): App['services'] {
  const settings = services.settings;
  const port = services.port;
  return {
    ...services,
    port: {
      ...port,
      async setEnabled(enabled) {
        const info = await port.setEnabled(enabled);
        gatewayUrl = info.url ?? undefined;
        portProblem = info.url ? undefined : 'switched off in the app';
        tray?.update({ gatewayUrl, gatewayProblem: portProblem });
        return info;
      },
    },
    settings: {
      ...settings,
      async setPreferences(patch) {
        const saved = await settings.setPreferences(patch);
        applyDesktopPreferences(saved);
        return saved;
      },
    },
  };
}

function applyDesktopPreferences(prefs: { startOnLogin: boolean; closeToTray: boolean } | undefined): void {
  if (!prefs) return;
  closeToTray = prefs.closeToTray;
  // Linux has no login-item API in Electron (autostart .desktop files are the desktop's own business).
  if (process.platform === 'darwin' || process.platform === 'win32') app.setLoginItemSettings({ openAtLogin: prefs.startOnLogin });
}

function showMainWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) mainWindow = createWindow();
  else focusMainWindow();
}

async function startEngine(): Promise<App> {
  // Settings and the ledger live in the same folder the CLI uses, so `switchboard spend`, `token` and
  // `key` see the desktop app's data; Electron's own profile (caches) stays in userData.
  const options: AppOptions = { dataDir: defaultDataDir(), host: HOST, rendererDir };
  const port = portFromEnv() ?? DEFAULT_PORT;
  try {
    return logGateway(await createApp({ ...options, port }));
  } catch (error) {
    if (!isPortUnavailable(error)) throw error;
    portProblem = `port ${port} unavailable: ${errorCode(error)}`;
    // The window does not need the port; tools pointed at it do. Say so and carry on without it.
    console.error(
      `Switchboard: port ${port} on ${HOST} is unavailable (${errorCode(error)}), so the local gateway is off. ` +
        `The app works without it; stop whatever holds the port or choose another one, then restart.`,
    );
    return createApp(options);
  }
}

function logGateway(core: App): App {
  // The URL only: the admin token is a secret and stays out of logs.
  if (core.gateway) console.log(`Switchboard: local gateway on ${core.gateway.url}`);
  return core;
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 840,
    minWidth: 720,
    minHeight: 480,
    title: 'Switchboard',
    show: false,
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  const contentsId = win.webContents.id;
  win.once('ready-to-show', () => win.show());
  // Streams belong to the page that asked: a reload, crash or close ends them (and their upstream cost).
  win.webContents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) binding?.abortStreams(contentsId);
  });
  win.webContents.on('render-process-gone', () => binding?.abortStreams(contentsId));
  win.on('close', (event) => {
    // With "close to tray" the window hides and the port keeps serving; Quit (tray or menu) really quits.
    if (closeToTray && tray && !leaving) {
      event.preventDefault();
      win.hide();
    }
  });
  win.on('closed', () => {
    binding?.abortStreams(contentsId);
    if (mainWindow === win) mainWindow = undefined;
  });

  // CSP: a file:// page gets no response headers we could set, so the strict Content-Security-Policy
  // is a <meta> tag the renderer build puts into index.html (vite.config.ts), not a session header here.
  const loading = devServerUrl ? win.loadURL(devServerUrl) : win.loadFile(rendererFile);
  if (!devServerUrl && !existsSync(rendererFile)) {
    console.error(`Switchboard: ${rendererFile} is missing; run \`npm run build\` to build the renderer.`);
  }
  loading.catch((error: unknown) => {
    console.error(`Switchboard: the window failed to load: ${messageOf(error)}`);
    win.show();
  });
  return win;
}

function onWillQuit(event: Electron.Event): void {
  if (!starting) return; // nothing was started, nothing to close
  event.preventDefault();
  if (quitting) return;
  quitting = true;
  binding?.dispose();
  tray?.destroy();
  const closed = starting.then((core) => core?.close());
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref());
  Promise.race([closed, timeout])
    .catch((error: unknown) => console.error(`Switchboard: closing the engine failed: ${messageOf(error)}`))
    .finally(() => {
      starting = undefined;
      app.quit();
    });
}

function focusMainWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function allowOnlyClipboardWrites(): void {
  // Copy buttons need clipboard writes; nothing in the UI needs camera, location, notifications...
  const allowed = (permission: string): boolean => permission === 'clipboard-sanitized-write';
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(allowed(permission)));
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => allowed(permission));
}

function openExternally(url: string): void {
  if (webUrl(url)) void shell.openExternal(url).catch(() => {});
}

/** The URL if it is http(s), else undefined. */
function webUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const { protocol } = new URL(raw);
    return protocol === 'http:' || protocol === 'https:' ? raw : undefined;
  } catch {
    return undefined;
  }
}

function portFromEnv(): number | undefined {
  const raw = process.env.SWITCHBOARD_PORT;
  if (raw === undefined || raw.trim() === '') return undefined;
  const port = Number(raw);
  return Number.isInteger(port) && port >= 0 && port <= 65535 ? port : undefined;
}

function isPortUnavailable(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL';
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
