// The tray icon: shows whether the local port is up (and where), and opens or quits the app.
import { Menu, Tray, clipboard, nativeImage } from 'electron';
import path from 'node:path';

export interface TrayState {
  /** The port's URL when it is listening, else undefined (off or unavailable). */
  gatewayUrl: string | undefined;
  /** Why the port is off, when it is. */
  gatewayProblem?: string;
}

export interface TrayActions {
  show(): void;
  quit(): void;
}

/** Builds the tray; call `update` whenever the port's state changes. */
export function createTray(assetsDir: string, state: TrayState, actions: TrayActions): { update(state: TrayState): void; destroy(): void } {
  // tray.png + tray@2x.png: Electron picks the right one for the screen's scale factor.
  const icon = nativeImage.createFromPath(path.join(assetsDir, 'tray.png'));
  if (process.platform === 'darwin') icon.setTemplateImage(true);
  const tray = new Tray(icon);
  tray.on('click', actions.show);

  const update = (next: TrayState) => {
    const status = next.gatewayUrl
      ? `Port: on at ${next.gatewayUrl}`
      : `Port: off${next.gatewayProblem ? ` (${next.gatewayProblem})` : ''}`;
    tray.setToolTip(`Switchboard — ${status}`);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: status, enabled: false },
        {
          label: 'Copy port URL',
          enabled: Boolean(next.gatewayUrl),
          click: () => next.gatewayUrl && clipboard.writeText(`${next.gatewayUrl}/v1`),
        },
        { type: 'separator' },
        { label: 'Open Switchboard', click: actions.show },
        { label: 'Quit Switchboard', click: actions.quit },
      ]),
    );
  };
  update(state);
  return { update, destroy: () => tray.destroy() };
}
