import * as path from 'node:path';
import { _electron as electron, expect, test } from 'playwright/test';
// @ts-expect-error -- plain .mjs helper shared with scripts/start.mjs, no type declarations
import { findElectronBinary } from '../../scripts/electronBinary.mjs';
import { injectedInlineScriptRan } from './support/csp.ts';
import { PROJECT_ROOT } from './support/browserMode.ts';

const binary = findElectronBinary() as { path?: string; reason?: string };
if (!binary.path) console.log(`Electron end-to-end test skipped: ${binary.reason}. The same UI is tested in browser mode.`);

test.describe('desktop app (Electron)', () => {
  // Runs wherever an Electron binary exists; on an offline machine none can be fetched.
  test.skip(!binary.path, `skipped: ${binary.reason ?? ''} — the same UI is tested in browser mode`);

  test('opens a hardened window whose preload exposes only the typed API, and loads a sample', async () => {
    const app = await electron.launch({ executablePath: binary.path!, args: [PROJECT_ROOT], cwd: PROJECT_ROOT });
    try {
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
      const page = await app.firstWindow();
      const exposed = await page.evaluate(() => ({
        keys: Object.keys((window as unknown as { dagflow: object }).dagflow).sort(),
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
      }));
      expect(exposed.require).toBe('undefined');
      expect(exposed.process).toBe('undefined');
      expect(exposed.keys).toContain('openData');
      // CSP: an injected inline script must not run.
      const ran = await injectedInlineScriptRan(page);
      expect(ran).toBe(false);
      await page.getByTestId('sample-sachs_obs_853.csv').click();
      await expect(page.getByTestId('preview-shape')).toContainText('853 rows × 11 columns');
      await page.screenshot({ path: path.join(PROJECT_ROOT, 'test-results', 'screenshots', 'electron-sachs.png') });
      // Navigation away from the app is blocked.
      await page.evaluate(() => (window.location.href = 'https://example.com/'));
      await page.waitForTimeout(300);
      expect(page.url()).toMatch(/^file:/);
    } finally {
      await app.close();
    }
  });
});
