/**
 * The app window with every Electron safeguard on (docs/architecture.md §8–9): context isolation, sandbox,
 * no Node integration, a CSP header, navigation and new windows denied, permissions refused.
 */
import { BrowserWindow, nativeTheme, session, shell } from 'electron';
import * as path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp.ts';

export interface WindowPaths {
  preload: string;
  rendererHtml: string;
  /** The window's icon (PNG: what every platform's window manager takes). */
  icon?: string;
  devServerUrl?: string;
}

export function hardenSession(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}

/** The renderer's web preferences (a unit test holds them to docs/architecture.md §8). */
export function secureWebPreferences(preload: string): Electron.WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

export function createMainWindow(paths: WindowPaths): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'DAGFlow',
    ...(paths.icon ? { icon: paths.icon } : {}),
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1e1e1e' : '#ffffff',
    webPreferences: secureWebPreferences(paths.preload),
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the user's browser; the app never opens a second window.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (url !== win.webContents.getURL()) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  if (paths.devServerUrl) void win.loadURL(paths.devServerUrl);
  else void win.loadFile(paths.rendererHtml);
  return win;
}

export function isAppPage(url: string, rendererHtml: string, devServerUrl?: string): boolean {
  if (devServerUrl && url.startsWith(devServerUrl)) return true;
  try {
    const u = new URL(url);
    return u.protocol === 'file:' && path.normalize(decodeURIComponent(u.pathname)) === path.normalize(rendererHtml);
  } catch {
    return false;
  }
}
