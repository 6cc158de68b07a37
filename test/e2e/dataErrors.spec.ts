/**
 * Issue 15, items 5 and 6: a data error is shown once, at the top, in the preview's row
 * numbering; a new file's error clears the old preview; stray text in a numeric column can be
 * read as missing with one click; the interventional Sachs sample is read with its sidecar.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect, test } from 'playwright/test';
import { ImportPage } from './pages/ImportPage.ts';
import { PROJECT_ROOT, startBrowserMode, type BrowserModeServer } from './support/browserMode.ts';

let server: BrowserModeServer;
const scratch = path.join(PROJECT_ROOT, 'test-results', 'data-error-files');
test.beforeAll(async () => {
  mkdirSync(scratch, { recursive: true });
  server = await startBrowserMode();
});
test.afterAll(async () => server?.stop());

test('an unreadable file: one error at the top, in the preview numbering, and no stale preview', async ({ page }) => {
  const importPage = new ImportPage(page);
  await importPage.goto(server.url);
  await importPage.openSample('asia_n1000.csv');
  await importPage.expectShape(1000, 8);
  const broken = path.join(scratch, 'broken.csv');
  writeFileSync(broken, 'a,b,c\n1,2,3\n4,5\n6,7,8\n');
  await importPage.uploadFile(broken);
  await expect(importPage.error).toContainText('broken.csv, row #2 (line 3 of the file):');
  // Said once: the file name appears a single time, and the old file's preview is gone.
  const text = (await importPage.error.textContent()) ?? '';
  expect(text.split('broken.csv').length - 1).toBe(1);
  await expect(importPage.table).toHaveCount(0);
  // At the top: above the file chooser and the samples.
  const errorBox = await importPage.error.boundingBox();
  const samplesBox = await page.getByTestId('sample-sachs_obs_853.csv').boundingBox();
  expect(errorBox!.y).toBeLessThan(samplesBox!.y);
  await page.screenshot({ path: path.join(PROJECT_ROOT, 'docs', 'screenshots', 'import-error.png') });
});

test('stray text in a numeric column: the cell is named in preview numbering, and can be read as missing', async ({ page }) => {
  const importPage = new ImportPage(page);
  await importPage.goto(server.url);
  const lines = ['a,b,c'];
  for (let r = 0; r < 40; r++)
    lines.push(`${(r * 0.37).toFixed(2)},${r === 5 ? '#REF!' : ((r * 1.91) % 7).toFixed(3)},${((r * 2.3) % 5).toFixed(2)}`);
  const stray = path.join(scratch, 'stray.csv');
  writeFileSync(stray, lines.join('\n') + '\n');
  await importPage.uploadFile(stray);
  const error = page.getByTestId('data-error');
  await expect(error).toContainText('row #6 (line 7 of the file)');
  await page.getByTestId('treat-as-missing').click();
  await expect(error).toHaveCount(0);
  await expect(page.getByTestId('data-summary')).toContainText('3 variables (continuous) · 39 of 40 rows used · 1 dropped');
  await expect(page.getByTestId('to-model-top')).toBeInViewport();
});

test('the interventional Sachs sample is read with its sidecar', async ({ page }) => {
  const importPage = new ImportPage(page);
  await importPage.goto(server.url);
  await expect(page.getByTestId('sample-sachs_interventional_discrete_5400.csv')).toBeInViewport();
  await importPage.openSample('sachs_interventional_discrete_5400.csv');
  await expect(page.getByText(/Interventions \(.*INT\.csv\)/)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('use-sample-sidecar')).toHaveCount(0);
});
