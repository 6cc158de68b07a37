/** Native menus: File › Open…, Open Recent, Quit with the platform's shortcuts; Edit, View, Help. */
import { app, Menu, type MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  open: () => void;
  openRecent: (index: number) => void;
  recent: () => string[];
}

export function buildMenu(actions: MenuActions): void {
  const recent = actions.recent();
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Open CSV…', accelerator: 'CmdOrCtrl+O', click: actions.open },
      {
        label: 'Open Recent',
        enabled: recent.length > 0,
        submenu: recent.map((p, index) => ({ label: p, click: () => actions.openRecent(index) })),
      },
      { type: 'separator' },
      process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    file,
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  app.setName('DAGFlow');
}
