import { describe, expect, it, vi } from 'vitest';

// window.ts imports electron only for classes used at run time; the preferences are plain data.
vi.mock('electron', () => ({ BrowserWindow: class {}, nativeTheme: {}, session: {}, shell: {} }));
const { secureWebPreferences, isAppPage } = await import('../../../src/main/electron/window.ts');

describe('Electron window', () => {
  it('keeps the renderer isolated, sandboxed and without Node', () => {
    expect(secureWebPreferences('/app/out/preload/index.cjs')).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
    });
  });

  it('accepts IPC only from the app page itself', () => {
    const html = '/app/out/renderer/index.html';
    expect(isAppPage('file:///app/out/renderer/index.html', html)).toBe(true);
    expect(isAppPage('file:///tmp/evil.html', html)).toBe(false);
    expect(isAppPage('https://example.com/', html)).toBe(false);
    expect(isAppPage('not a url', html)).toBe(false);
  });
});
