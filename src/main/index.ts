/**
 * Electron main process: one hardened window, native menus and dialogs, and the same API
 * handlers and job host as browser mode, reached over IPC.
 */
import { app, BrowserWindow, dialog, ipcMain, webContents } from 'electron';
import { IPC_MENU_CHANNEL, type MenuCommand } from '../shared/api.ts';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JobHost } from '../jobs/host.ts';
import { DataStore } from '../app/dataStore.ts';
import { createApiHandlers } from '../app/handlers.ts';
import type { NativeDialogs } from '../app/nativeDialogs.ts';
import { findSamplesDir } from '../app/samples.ts';
import { forwardJobEvents, registerIpcHandlers } from './electron/ipc.ts';
import { buildMenu } from './electron/menu.ts';
import { RecentFiles } from './electron/recentFiles.ts';
import { createMainWindow, hardenSession, isAppPage } from './electron/window.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const paths = {
  preload: path.join(here, '../preload/index.cjs'),
  rendererHtml: path.join(here, '../renderer/index.html'),
  // The renderer's public/icon.png, copied beside index.html by the build.
  icon: path.join(here, '../renderer/icon.png'),
  devServerUrl: !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined,
};

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(start);
}

function start(): void {
  hardenSession();
  const host = new JobHost();
  const data = new DataStore();
  const recent = new RecentFiles(app.getPath('userData'));
  let win: BrowserWindow | undefined = undefined;

  const showOpenDialog = async (): Promise<string | null> => {
    const result = await dialog.showOpenDialog(win ?? BrowserWindow.getFocusedWindow()!, {
      title: 'Open a data set',
      properties: ['openFile'],
      filters: [
        { name: 'Delimited text', extensions: ['csv', 'tsv', 'txt'] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
    return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0]!;
  };

  const dialogs: NativeDialogs = {
    saveFile: async ({ title, defaultName, filters }) => {
      const result = await dialog.showSaveDialog(win ?? BrowserWindow.getFocusedWindow()!, { title, defaultPath: defaultName, filters });
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    openFile: async ({ title, filters }) => {
      const result = await dialog.showOpenDialog(win ?? BrowserWindow.getFocusedWindow()!, { title, properties: ['openFile'], filters });
      return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0]!;
    },
  };
  let flushSession: () => Promise<void> = async () => {};

  const handlers = createApiHandlers({
    dialogs,
    onFlushSession: (flush) => (flushSession = flush),
    // Untitled sessions autosave here; a crash leaves them to be offered at the next start.
    recovery: { folder: path.join(app.getPath('userData'), 'recovery') },
    transport: 'electron',
    host,
    data,
    samplesDir: findSamplesDir([path.join(process.resourcesPath ?? '', 'samples'), path.join(here, '../../samples')]),
    showOpenDialog,
    recentFiles: () => recent.list(),
    onFileOpened: (p) => {
      recent.add(p);
      rebuildMenu();
    },
  });
  registerIpcHandlers(ipcMain, handlers, (event) => isAppPage(event.senderFrame?.url ?? '', paths.rendererHtml, paths.devServerUrl));
  forwardJobEvents(host, () => webContents.getAllWebContents());

  const sendMenu = (command: MenuCommand): void => win?.webContents.send(IPC_MENU_CHANNEL, command);
  function rebuildMenu(): void {
    buildMenu({
      open: () => sendMenu({ action: 'open' }),
      // The renderer asks for the file by position; the path never leaves main.
      openRecent: (index) => sendMenu({ action: 'open-recent', index }),
      recent: () => recent.list(),
      openSession: () => sendMenu({ action: 'open-session' }),
      saveSession: () => sendMenu({ action: 'save-session' }),
      saveSessionAs: () => sendMenu({ action: 'save-session-as' }),
      exportRun: () => sendMenu({ action: 'export' }),
    });
  }
  rebuildMenu();

  win = createMainWindow(paths);
  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });
  app.on('window-all-closed', () => {
    // The last autosave is written before the app goes.
    void flushSession()
      .catch(() => undefined)
      .then(() => host.shutdown())
      .finally(() => {
        data.dispose();
        app.quit();
      });
  });
}
