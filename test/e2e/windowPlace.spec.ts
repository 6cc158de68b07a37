/**
 * Issue 15, item 7 (in part) and small things: a new screen opens at its top with the focus on
 * it (not on <body>), hidden file inputs take no Tab stop, the Compare screen keeps its true graph
 * and result across tab switches, and Standardize is off for all-discrete data.
 */
import { expect, test } from 'playwright/test';
import { ComparePage } from './pages/ComparePage.ts';
import { ImportPage } from './pages/ImportPage.ts';
import { ModelPage } from './pages/ModelPage.ts';
import { RunPage } from './pages/RunPage.ts';
import { SessionPage } from './pages/SessionPage.ts';
import { PROJECT_ROOT } from './support/browserMode.ts';
import * as path from 'node:path';
import { mkdirSync } from 'node:fs';
import { startBrowserMode, type BrowserModeServer } from './support/browserMode.ts';

let server: BrowserModeServer;
test.beforeAll(async () => (server = await startBrowserMode()));
test.afterAll(async () => server?.stop());

test('the window keeps the user’s place: focus, scroll, Compare across tab switches', async ({ page }) => {
  test.setTimeout(180_000);
  const importPage = new ImportPage(page);
  const model = new ModelPage(page);
  const runs = new RunPage(page);
  const compare = new ComparePage(page);
  await importPage.goto(server.url);
  // Hidden file inputs are opened by their buttons and take no Tab stop.
  const tabbable = await page.locator('input[type="file"]').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).tabIndex));
  expect(tabbable.every((t) => t === -1)).toBe(true);

  await importPage.openSample('sachs_obs_853.csv');
  await importPage.expectShape(853, 11);
  // Scroll the Import screen down, continue with the bottom button: the Model screen opens at its top, focused.
  await page.getByTestId('to-model').scrollIntoViewIfNeeded();
  await page.getByTestId('to-model').click();
  await expect(model.sampler).toBeVisible();
  expect(await page.locator('main').evaluate((m) => m.scrollTop)).toBe(0);
  expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('tabpanel');

  await model.chooseSampler('exact');
  await model.start();
  await runs.expectStatus(0, 'done');
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(false);
  await model.open();
  await model.chooseSampler('mc3', { iterations: 2000, timeLimitSeconds: 20 });
  await model.start();
  await runs.expectStatus(1, 'done');

  await compare.compare(0, 1, 'sample');
  const rmse = await compare.rmseValue();
  // Each side says how far to trust it: the exact run is exact, MC3 gets a verdict of its own.
  await expect(page.getByTestId('compare-trust-A').getByTestId('trust-badge')).toHaveAttribute('data-level', 'exact');
  await expect(page.getByTestId('compare-trust-B').getByTestId('trust-badge')).toBeVisible();
  await runs.tab.click();
  await compare.tab.click();
  // Still there after a tab switch: the true-graph choice and the comparison.
  await expect(page.getByTestId('truth-choice')).toHaveValue('sample');
  expect(await compare.rmseValue()).toBe(rmse);
  await expect(compare.truthMetrics).toBeVisible();
});

test('Standardize is off and disabled for all-discrete data', async ({ page }) => {
  const importPage = new ImportPage(page);
  await importPage.goto(server.url);
  await importPage.openSample('asia_n1000.csv');
  await expect(page.getByTestId('data-summary')).toContainText('(discrete)');
  await expect(page.getByTestId('standardize')).toBeDisabled();
  await expect(page.getByTestId('standardize')).not.toBeChecked();
});

test('the graph layout is kept in the session file', async ({ page }) => {
  test.setTimeout(120_000);
  const importPage = new ImportPage(page);
  const model = new ModelPage(page);
  const runs = new RunPage(page);
  await importPage.goto(server.url);
  await importPage.openSample('sachs_obs_853.csv');
  await page.getByTestId('to-model').click();
  await model.chooseSampler('exact');
  await model.start();
  await runs.expectStatus(-1, 'done');
  await runs.openPosterior(-1);
  await page.getByTestId('graph-layout').selectOption('circle');
  const saved = await new SessionPage(page).save();
  const dir = path.join(PROJECT_ROOT, 'test-results', 'window-place');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'layout.dagflow');
  await saved.saveAs(file);

  // Change it, then open the saved file: the layout comes back with the session.
  await page.getByTestId('graph-layout').selectOption('layered');
  const sessions = new SessionPage(page);
  // Opening replaces this window's finished runs: the window asks first.
  page.once('dialog', (dialog) => void dialog.accept());
  await sessions.open(file);
  await expect(sessions.status).toContainText('Opened layout.dagflow');
  await page.getByTestId('tab-posterior').click();
  await expect(page.getByTestId('graph-layout')).toHaveValue('circle');
});
