/**
 * The analyst's workflow in browser mode, driven through the real UI and the real engine:
 * import the Sachs data, choose BGe, run samplers with small budgets, explore the posterior,
 * compare two runs against the known graph; plus a malformed file and a cancelled run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect, test, type Page } from 'playwright/test';
import { ComparePage } from './pages/ComparePage.ts';
import { ImportPage } from './pages/ImportPage.ts';
import { ModelPage, type Method } from './pages/ModelPage.ts';
import { PosteriorPage } from './pages/PosteriorPage.ts';
import { RunPage } from './pages/RunPage.ts';
import { PROJECT_ROOT, startBrowserMode, type BrowserModeServer } from './support/browserMode.ts';

let server: BrowserModeServer;
const shots = path.join(PROJECT_ROOT, 'test-results', 'screenshots');
const scratch = path.join(PROJECT_ROOT, 'test-results', 'workflow-files');

test.beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  mkdirSync(scratch, { recursive: true });
  server = await startBrowserMode();
});
test.afterAll(async () => server?.stop());

const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: path.join(shots, `workflow-${name}.png`) });

test('Sachs from import to a compared posterior', async ({ page }) => {
  const importPage = new ImportPage(page);
  const model = new ModelPage(page);
  const runs = new RunPage(page);
  const posterior = new PosteriorPage(page);
  const compare = new ComparePage(page);

  await importPage.goto(server.url);
  const opened = Date.now();
  await importPage.openSample('sachs_obs_853.csv');
  await importPage.expectShape(853, 11);
  await expect(page.getByTestId('data-summary')).toContainText('11 variables (continuous)');
  await expect(page.getByTestId('column-table').locator('tbody tr')).toHaveCount(11);
  await shot(page, '1-import');

  await page.getByTestId('to-model').click();
  await model.chooseScore('bge');
  const methods = await model.methods();
  // Use the GFlowNet and MC3 where this build has them; the exact posterior stands in otherwise.
  const first: Method = methods.includes('gflownet') ? 'gflownet' : 'exact';
  const second: Method = methods.includes('mc3') ? 'mc3' : 'exact';
  test.info().annotations.push({ type: 'samplers', description: `available: ${methods.join(', ')}; used: ${first}, ${second}` });
  await model.chooseSampler(first, { iterations: 300, timeLimitSeconds: 20 });
  await shot(page, '2-model');
  await model.start();
  if (first !== 'exact') {
    // Live progress while it trains: the bar, ETA and steps per second.
    await expect(runs.progress).toContainText('ETA', { timeout: 30_000 });
    await expect(runs.progress).toContainText('steps/s', { timeout: 30_000 });
    await shot(page, '3-run-progress');
  }
  await runs.expectStatus(0, 'done');
  const firstPosterior = `${((Date.now() - opened) / 1000).toFixed(1)} s from opening the file (${first}, 300 iterations)`;
  test.info().annotations.push({ type: 'time to first posterior', description: firstPosterior });
  console.log(`time to first posterior: ${firstPosterior}`);
  // the training curve is drawn by uPlot (a canvas with at least two steps)
  if (first !== 'exact') {
    await expect(page.getByTestId('run-chart').locator('canvas')).toBeVisible();
    expect(Number(await page.getByTestId('run-chart').getAttribute('data-points'))).toBeGreaterThan(1);
  }
  await shot(page, '3-run');

  await runs.openPosterior(0);
  await expect(posterior.heatCells).toHaveCount(11 * 11);
  expect(await posterior.hoverCell(1)).toMatch(/^P\(Raf → Mek\) = \d\.\d{3}/);
  await posterior.setThreshold(0.5);
  const atHalf = await posterior.visibleEdges();
  await posterior.setThreshold(0.05);
  const atLow = await posterior.visibleEdges();
  expect(atLow).toBeGreaterThan(atHalf);
  // Stepping up removes the weakest visible edge (with any ties); stepping down brings it back.
  await posterior.stepThreshold('up');
  expect(Number(await posterior.thresholdValue.textContent())).toBeGreaterThan(0.05);
  const afterUp = await posterior.visibleEdges();
  expect(afterUp).toBeLessThan(atLow);
  await posterior.stepThreshold('down');
  expect(await posterior.visibleEdges()).toBe(atLow);
  await posterior.setThreshold(0.3);
  await expect(posterior.graph).toBeVisible();
  await page.getByTestId('node-select').selectOption({ label: 'Erk' });
  await expect(page.getByTestId('node-details')).toContainText('likely parents');
  await expect(page.getByTestId('node-details')).toContainText('Erk');
  if (first !== 'exact') {
    // The DAG list is grouped by equivalence class by default; one row per DAG is one click away.
    await page.getByTestId('group-by-class').uncheck();
    await page.getByTestId('draw-dag').first().click();
    await expect(page.getByTestId('dag-graph')).toBeVisible();
    await page.getByTestId('show-cpdag').check();
    await expect(page.getByTestId('cpdag-summary')).toContainText(/\d+ compelled, \d+ reversible/);
  }
  const download = posterior.export('edge-marginals');
  expect((await download).suggestedFilename()).toMatch(/^sachs_obs_853-\w+-run-1-edge_marginals\.csv$/);
  await shot(page, '4-posterior');

  // The second run: MC3 (or the exact posterior under another structure prior).
  await model.open();
  if (second === 'exact') await model.chooseStructurePrior('erdos-renyi');
  await model.chooseSampler(second, { iterations: 2000, timeLimitSeconds: 20 });
  await model.start();
  await runs.expectStatus(1, 'done');

  const [defaultA, defaultB] = await compare.defaultPair();
  expect(defaultA).not.toBe(defaultB);
  await compare.compare(0, 1, 'sample');
  const value = await compare.rmseValue();
  expect(value).toBeGreaterThanOrEqual(0);
  expect(value).toBeLessThan(1);
  await expect(compare.truthMetrics).toContainText('A ·');
  await expect(page.getByTestId('roc-curve')).toBeVisible();
  // every chart of the window is a uPlot canvas: the scatter has one point per edge pair
  await expect(page.getByTestId('roc-curve-plot').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('pr-curve-plot').locator('canvas')).toBeVisible();
  expect(Number(await page.getByTestId('compare-scatter-plot').getAttribute('data-points'))).toBeGreaterThan(11);
  await shot(page, '5-compare');

  // The same window follows a dark system theme.
  await page.emulateMedia({ colorScheme: 'dark' });
  await posterior.tab.click();
  await expect(posterior.heatCells).toHaveCount(11 * 11);
  await shot(page, '6-posterior-dark');
});

test('a malformed CSV shows its row error in place', async ({ page }) => {
  const file = path.join(scratch, 'broken.csv');
  writeFileSync(file, 'a,b,c\n1,2,3\n4,5\n6,7,8\n');
  const importPage = new ImportPage(page);
  await importPage.goto(server.url);
  await importPage.uploadFile(file);
  await expect(importPage.error).toContainText('broken.csv, row #2 (line 3 of the file)');
  await shot(page, 'error');
});

test('a cancelled run ends and the window stays responsive', async ({ page }) => {
  // 20 continuous columns: the exact posterior takes long enough here to be cancelled mid-way.
  const d = 20;
  let seed = 7;
  const next = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 10;
  const lines = [Array.from({ length: d }, (_, k) => `X${k + 1}`).join(',')];
  for (let r = 0; r < 100; r++) lines.push(Array.from({ length: d }, () => next().toFixed(3)).join(','));
  const file = path.join(scratch, 'wide20.csv');
  writeFileSync(file, lines.join('\n') + '\n');

  const importPage = new ImportPage(page);
  const model = new ModelPage(page);
  const runs = new RunPage(page);
  await importPage.goto(server.url);
  await importPage.uploadFile(file);
  await expect(page.getByTestId('data-summary')).toContainText('20 variables');
  await page.getByTestId('to-model').click();
  await model.chooseSampler('exact');
  await model.start();
  await runs.expectStatus(-1, 'running', 15_000);
  await expect(runs.progress).toBeVisible();
  const cancelledAt = Date.now();
  await runs.cancel(-1);
  await runs.expectStatus(-1, 'cancelled', 10_000);
  test.info().annotations.push({ type: 'cancel latency', description: `${Date.now() - cancelledAt} ms until the run showed as cancelled` });
  console.log(`cancel latency: ${Date.now() - cancelledAt} ms until the run showed as cancelled`);
  // The window still answers: switch screens and back.
  await page.getByTestId('tab-import').click();
  await expect(page.getByTestId('column-table')).toBeVisible();
  await runs.tab.click();
  await expect(runs.row(-1).getByTestId('run-status')).toHaveText('cancelled');
  await shot(page, 'cancel');
});
