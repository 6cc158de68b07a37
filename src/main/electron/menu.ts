/**
 * Native menus: File › Open CSV…, Open Recent, Open Session…, Save Session, Save Session As…,
 * Export…, Quit with the platform's shortcuts; Edit, View, Window.
 */
import { app, Menu, type MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  open: () => void;
  openRecent: (index: number) => void;
  recent: () => string[];
  openSession: () => void;
  saveSession: () => void;
  saveSessionAs: () => void;
  /** Export the run shown on the Posterior screen. */
  exportRun: () => void;
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
      { label: 'Open Session…', accelerator: 'CmdOrCtrl+Shift+O', click: actions.openSession },
      { label: 'Save Session', accelerator: 'CmdOrCtrl+S', click: actions.saveSession },
      { label: 'Save Session As…', accelerator: 'CmdOrCtrl+Shift+S', click: actions.saveSessionAs },
      { type: 'separator' },
      { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: actions.exportRun },
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
