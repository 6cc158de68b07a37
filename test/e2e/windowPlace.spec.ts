/**
 * Issue 15, item 7 and small things: "Continue to Model" is in view at 1280 × 800, a new screen
 * opens at its top with the focus on it (not on <body>), hidden file inputs take no Tab stop, the
 * Compare screen keeps its true graph and result across tab switches and reloads, a reload puts
 * the user back where they were (data set, column settings, model, screen, runs), the graph
 * layout is kept in the session, no screen logs a console error or warning, and Standardize is
 * off for all-discrete data.
 */
import { expect, test, type Page } from 'playwright/test';
import { ComparePage } from './pages/ComparePage.ts';
import { ImportPage } from './pages/ImportPage.ts';
import { ModelPage } from './pages/ModelPage.ts';
import { RunPage } from './pages/RunPage.ts';
import { SessionPage } from './pages/SessionPage.ts';
import { PROJECT_ROOT } from './support/browserMode.ts';
import * as path from 'node:path';
import { mkdirSync } from 'node:fs';
import { startBrowserMode, type BrowserModeServer } from './support/browserMode.ts';
import { sampleRunPosterior } from './support/sampleRun.ts';

let server: BrowserModeServer;
test.beforeAll(async () => (server = await startBrowserMode()));
test.afterAll(async () => server?.stop());

/** Console errors and warnings of the page (cytoscape's wheel-sensitivity warning was one). */
function consoleProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

/** Hidden file inputs are opened by their buttons and take no Tab stop (the page has some on every screen). */
async function expectNoHiddenTabStops(page: Page): Promise<void> {
  const hidden = page.locator('input[type="file"].visually-hidden');
  expect(await hidden.count()).toBeGreaterThan(0);
  const tabIndices = await hidden.evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).tabIndex));
  expect(tabIndices).toEqual(tabIndices.map(() => -1));
}

test('the window keeps the user’s place: focus, scroll, Compare across tab switches and a reload', async ({ page }) => {
  test.setTimeout(240_000);
  const problems = consoleProblems(page);
  const importPage = new ImportPage(page);
  const model = new ModelPage(page);
  const runs = new RunPage(page);
  const compare = new ComparePage(page);
  await importPage.goto(server.url);
  await expectNoHiddenTabStops(page);

  await importPage.openSample('sachs_obs_853.csv');
  await importPage.expectShape(853, 11);
  // At 1280 × 800 the way on is in view without scrolling.
  await expect(page.getByTestId('to-model-top')).toBeInViewport({ ratio: 1 });
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
  const sessions = new SessionPage(page);
  const synced = sessions.synced({ screen: 'compare' });
  await runs.tab.click();
  await compare.tab.click();
  // Still there after a tab switch: the true-graph choice and the comparison.
  await expect(page.getByTestId('truth-choice')).toHaveValue('sample');
  expect(await compare.rmseValue()).toBe(rmse);
  await expect(compare.truthMetrics).toBeVisible();

  // And after a reload: the Compare screen, its pair, its true graph and the comparison.
  await synced;
  await sessions.reload();
  await expect(compare.tab).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('truth-choice')).toHaveValue('sample');
  await expect(compare.truthMetrics).toBeVisible();
  expect(await compare.rmseValue()).toBe(rmse);

  // Every screen, visited once, and the Posterior left while ELK still lays its graph out (the
  // layout used to end on a destroyed graph): no console error or warning.
  for (let k = 0; k < 4; k++) {
    await page.getByTestId('tab-posterior').click();
    await page.getByTestId('tab-run').click();
  }
  for (const screen of ['posterior', 'answers', 'sweep', 'run', 'model', 'import']) {
    await page.getByTestId(`tab-${screen}`).click();
    await expect(page.locator(`#panel-${screen}`)).toBeVisible();
    await expectNoHiddenTabStops(page);
  }
  await page.getByTestId('tab-posterior').click();
  await expect(page.getByTestId('graph-layout')).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(problems).toEqual([]);
});

test('a reload puts the user back where they were: data set, column settings, model, screen and runs', async ({ page }) => {
  test.setTimeout(180_000);
  const importPage = new ImportPage(page);
  const model = new ModelPage(page);
  const runs = new RunPage(page);
  const sessions = new SessionPage(page);
  await importPage.goto(server.url);
  await importPage.openSample('sachs_obs_853.csv');
  await importPage.expectShape(853, 11);
  // Column settings: leave Jnk out, drop incomplete rows.
  await page.getByLabel('use Jnk').uncheck();
  await page.getByLabel('Missing values').selectOption('drop');
  await page.getByTestId('to-model-top').click();
  await expect(model.sampler).toBeVisible();
  await model.chooseStructurePrior('fair');
  await model.chooseSampler('mc3', { iterations: 1500, timeLimitSeconds: 20 });
  await model.start();
  await runs.expectStatus(-1, 'done');
  const runCount = await runs.list.locator('tbody tr').count();
  const synced = sessions.synced({ screen: 'model' });
  await model.open();
  await synced;

  await sessions.reload();
  // The same screen, with the same model and sampler.
  await expect(model.tab).toHaveAttribute('aria-selected', 'true');
  await expect(model.sampler).toHaveValue('mc3');
  await expect(page.getByTestId('iterations')).toHaveValue('1500');
  await expect(page.getByLabel('Structure prior')).toHaveValue('fair');
  // The Import screen shows the data set and how it is read, not a blank page.
  await page.getByTestId('tab-import').click();
  await expect(page.getByTestId('preview-title')).toHaveText('sachs_obs_853.csv');
  await importPage.expectShape(853, 11);
  await expect(importPage.table.locator('tbody tr').first()).toBeVisible();
  await expect(page.getByLabel('use Jnk')).not.toBeChecked();
  await expect(page.getByLabel('Missing values')).toHaveValue('drop');
  await expect(page.getByTestId('data-summary')).toContainText('10 variables');
  await expect(page.getByTestId('dataset-status')).toContainText('sachs_obs_853.csv');
  await page.screenshot({ path: path.join(PROJECT_ROOT, 'docs', 'screenshots', 'reload-import.png') });
  // The runs are there, and a new run can start without opening the data again.
  await runs.tab.click();
  await expect(runs.list.locator('tbody tr')).toHaveCount(runCount);
  await runs.expectStatus(-1, 'done');
  await model.open();
  await model.chooseSampler('exact');
  await model.start();
  await expect(runs.list.locator('tbody tr')).toHaveCount(runCount + 1);
  await runs.expectStatus(-1, 'done');

  // A change made just before the reload (sooner than the 0.4 s the window waits before sending
  // its state) is kept too: the page sends its state as it goes.
  await page.getByTestId('tab-import').click();
  await page.getByLabel('Missing values').selectOption('refuse');
  await sessions.reload();
  await expect(page.getByTestId('tab-import')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByLabel('Missing values')).toHaveValue('refuse');
});

test('a new page (not a reload) starts on the Import screen', async ({ page }) => {
  const importPage = new ImportPage(page);
  await importPage.goto(server.url);
  await expect(page.getByTestId('tab-import')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('preview-title')).toHaveCount(0);
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
  await sampleRunPosterior(page, server.url, 'sachs_obs_853.csv', 'exact');
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

  // "Opened layout.dagflow" speaks of the session's data: it goes once other data is opened.
  await page.getByTestId('tab-import').click();
  const importPage = new ImportPage(page);
  await importPage.openSample('asia_n1000.csv');
  await importPage.expectShape(1000, 8);
  await expect(sessions.status).not.toContainText('Opened');

  // A reload keeps the layout too, with the Posterior screen in view.
  await page.getByTestId('tab-posterior').click();
  const synced = sessions.synced({ graphLayout: 'cose' });
  await page.getByTestId('graph-layout').selectOption('cose');
  await synced;
  await sessions.reload();
  await expect(page.getByTestId('tab-posterior')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('graph-layout')).toHaveValue('cose');
});
