// Native application menu: the platform's standard menus (so copy/paste and window shortcuts work)
// plus a Help menu with the port URL and the data folder.
import { Menu, shell, type MenuItemConstructorOptions } from 'electron';

export function installAppMenu(actions: { copyPortUrl(): void; dataDir: string }): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Copy Port URL', click: actions.copyPortUrl },
        { label: 'Open Data Folder', click: () => void shell.openPath(actions.dataDir) },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
