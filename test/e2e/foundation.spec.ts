import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { expect, test } from 'playwright/test';
import { ImportPage } from './pages/ImportPage.ts';
import { injectedInlineScriptRan } from './support/csp.ts';
import { PROJECT_ROOT, startBrowserMode, type BrowserModeServer } from './support/browserMode.ts';

let server: BrowserModeServer;
const shots = path.join(PROJECT_ROOT, 'test-results', 'screenshots');

test.beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startBrowserMode();
});
test.afterAll(async () => server?.stop());

test('opens the Sachs sample through the page and shows 853 rows × 11 columns', async ({ page }) => {
  const importPage = new ImportPage(page);
  await importPage.goto(server.url);
  await importPage.openSample('sachs_obs_853.csv');
  await importPage.expectShape(853, 11);
  await expect(importPage.table.locator('thead th')).toHaveCount(12);
  await expect(importPage.table).toContainText('Raf');
  await expect(page.getByTestId('dataset-status')).toContainText('853 rows × 11 columns');
  await page.screenshot({ path: path.join(shots, 'foundation-sachs-preview.png') });
});

test('uploads a file through the file input and shows its row error in place', async ({ page }) => {
  const importPage = new ImportPage(page);
  await importPage.goto(server.url);
  await importPage.uploadFile(path.join(PROJECT_ROOT, 'samples', 'asia_n1000.csv'));
  await importPage.expectShape(1000, 8);
  await importPage.uploadFile(path.join(PROJECT_ROOT, 'test', 'fixtures', 'e2e', 'ragged.csv'));
  await expect(importPage.error).toContainText('ragged.csv, row #3 (line 4 of the file)');
});

test('refuses the page, the API and the event stream without the token', async ({ request }) => {
  const plain = server.origin;
  for (const target of ['/', '/index.html', '/api/events']) {
    const res = await request.get(plain + target, { maxRedirects: 0 });
    expect(res.status(), target).toBe(401);
  }
  const api = await request.post(`${plain}/api/getAppInfo`, { data: '' });
  expect(api.status()).toBe(401);
  const wrong = await request.get(`${plain}/?token=not-the-token`, { maxRedirects: 0 });
  expect(wrong.status()).toBe(403);
});

test('the page refuses an injected inline script (CSP)', async ({ page }) => {
  await page.goto(server.url);
  const ran = await injectedInlineScriptRan(page);
  expect(ran).toBe(false);
});

test('loads with no console error, its icon served and framing refused by the header', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  const response = await page.goto(server.url);
  expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  await expect(page.getByTestId('tab-import')).toBeVisible();
  // The app's first requests (info, samples, recovery) have answered.
  await page.waitForLoadState('networkidle');
  expect(errors).toEqual([]);
  expect(failed).toEqual([]);
  const icon = await page.locator('link[rel="icon"]').getAttribute('href');
  expect(icon).toBeTruthy();
  expect((await page.request.get(new URL(icon!, page.url()).href)).headers()['content-type']).toBe('image/svg+xml');
  expect((await page.request.get(new URL('/favicon.ico', page.url()).href)).status()).toBe(200);
});

test('a CSV given to "Open session…" is called a data table, not a damaged session, and opens as data', async ({ page }) => {
  const importPage = new ImportPage(page);
  await importPage.goto(server.url);
  await page.getByTestId('session-file').setInputFiles(path.join(PROJECT_ROOT, 'samples', 'asia_n1000.csv'));
  const error = page.getByTestId('session-error');
  await expect(error).toContainText('data table');
  await expect(error).not.toContainText('.bak');
  await page.getByTestId('session-open-as-data').click();
  await importPage.expectShape(1000, 8);
  await expect(page.getByTestId('session-data-instead')).toHaveCount(0);
});
