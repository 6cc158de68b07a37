/**
 * The Electron window's guards, driven through a stand-in for Electron (no binary here): a new
 * window is never opened (https links go to the user's browser, nothing else anywhere), the page
 * cannot navigate away or attach a webview, and every permission request is refused.
 */
import { describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => void;

const recorded = vi.hoisted(() => ({
  openExternal: [] as string[],
  windowOpen: undefined as undefined | ((details: { url: string }) => { action: string }),
  listeners: new Map<string, (...args: unknown[]) => void>(),
  permissionRequest: undefined as undefined | ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void),
  permissionCheck: undefined as undefined | (() => boolean),
  headers: undefined as
    | undefined
    | ((
        details: { responseHeaders: Record<string, string[]> },
        callback: (r: { responseHeaders: Record<string, string[]> }) => void,
      ) => void),
}));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = {
      setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) => (recorded.windowOpen = handler),
      on: (event: string, listener: Listener) => void recorded.listeners.set(event, listener),
      getURL: () => 'file:///app/out/renderer/index.html',
    };
    once(): void {}
    loadFile(): Promise<void> {
      return Promise.resolve();
    }
    loadURL(): Promise<void> {
      return Promise.resolve();
    }
  }
  return {
    BrowserWindow,
    nativeTheme: { shouldUseDarkColors: false },
    shell: { openExternal: (url: string) => void recorded.openExternal.push(url) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: typeof recorded.permissionRequest) => (recorded.permissionRequest = h),
        setPermissionCheckHandler: (h: typeof recorded.permissionCheck) => (recorded.permissionCheck = h),
        webRequest: { onHeadersReceived: (h: typeof recorded.headers) => (recorded.headers = h) },
      },
    },
  };
});

const { createMainWindow, hardenSession } = await import('../../../src/main/electron/window.ts');
const { CONTENT_SECURITY_POLICY } = await import('../../../src/shared/csp.ts');

createMainWindow({ preload: '/app/out/preload/index.cjs', rendererHtml: '/app/out/renderer/index.html' });
hardenSession();

describe('Electron window guards', () => {
  it('denies every new window; only https links go to the system browser', () => {
    for (const url of [
      'https://docs.example.org/help',
      'http://evil.example/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'about:blank',
      'data:text/html,<script>1</script>',
    ]) {
      expect(recorded.windowOpen!({ url }), url).toEqual({ action: 'deny' });
    }
    expect(recorded.openExternal).toEqual(['https://docs.example.org/help']);
  });

  it('prevents navigation to any other page, and attaching webviews', () => {
    const navigate = recorded.listeners.get('will-navigate')!;
    for (const url of ['https://evil.example/', 'file:///tmp/evil.html', 'file:///app/out/renderer/index.html?x=1']) {
      const event = { preventDefault: vi.fn() };
      navigate(event, url);
      expect(event.preventDefault, url).toHaveBeenCalled();
    }
    const same = { preventDefault: vi.fn() };
    navigate(same, 'file:///app/out/renderer/index.html');
    expect(same.preventDefault).not.toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    recorded.listeners.get('will-attach-webview')!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('refuses every permission and sends the CSP with every response', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      recorded.permissionRequest!({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(recorded.permissionCheck!()).toBe(false);
    let headers: Record<string, string[]> = {};
    recorded.headers!(
      { responseHeaders: { 'Content-Security-Policy': ["default-src *; script-src 'unsafe-inline'"] } },
      (r) => (headers = r.responseHeaders),
    );
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
  });
});
