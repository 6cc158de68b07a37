/**
 * Issue 15, item 8, and issue 14's window part: the Model screen's advanced training options
 * (every `dagflow train` option, each with a line of explanation and its default; a changed value
 * reaches the run) and the layered GFlowNet's candidate-parent space, shown before a run and
 * widened by the user, on a 60-column file at 1280×800 without sideways scrolling.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect, test, type Page } from 'playwright/test';
import { formatDataCsv, generateSynthetic } from '../../src/gflownet/synth/generate.ts';
import { ImportPage } from './pages/ImportPage.ts';
import { ModelOptionsPart } from './pages/ModelOptionsPart.ts';
import { ModelPage } from './pages/ModelPage.ts';
import { RunPage } from './pages/RunPage.ts';
import { overflowsSideways } from './pages/TrustBadgePart.ts';
import { PROJECT_ROOT, startBrowserMode, type BrowserModeServer } from './support/browserMode.ts';

let server: BrowserModeServer;
test.beforeAll(async () => (server = await startBrowserMode()));
test.afterAll(async () => server?.stop());

const shot = (page: Page, name: string): Promise<Buffer> =>
  page.screenshot({ path: path.join(PROJECT_ROOT, 'docs', 'screenshots', `${name}.png`) });

test('the advanced training options explain every option with its default, and a changed value reaches the run', async ({ page }) => {
  test.setTimeout(180_000);
  const importPage = new ImportPage(page);
  const model = new ModelPage(page);
  const options = new ModelOptionsPart(page);
  const runs = new RunPage(page);

  await importPage.goto(server.url);
  await importPage.openSample('sachs_obs_853.csv');
  await importPage.expectShape(853, 11);
  await page.getByTestId('to-model').click();

  // MCMC: the command line's four chains.
  await model.chooseSampler('mc3');
  await expect(page.getByTestId('chains')).toHaveValue('4');

  await model.chooseSampler('gflownet', { iterations: 20, timeLimitSeconds: 20 });
  await expect(page.getByTestId('budget-hint')).toContainText('default time limit is 120 s');
  // Sachs: the full parent-set tables fit, so no candidate space.
  await expect(options.headline).toContainText('Full space');
  await expect(options.headline).toContainText('fit the budget of 60,000');
  // Nothing is wider than the full space.
  await expect(page.getByTestId('widen-space')).toHaveCount(0);
  await expect(options.advanced).not.toHaveAttribute('open');
  await options.openAdvanced();
  const rows = await options.optionRows();
  const labels = rows.map((r) => r.label);
  for (const label of ['Sampler', 'Backend', 'Batch size', 'Learning rate', 'Final learning rate', 'Hidden width', 'Replay capacity'])
    expect(labels.some((l) => l.startsWith(label))).toBe(true);
  for (const label of [
    'Teacher steps',
    'Objective',
    'Exploration bonus',
    'Reward shaping',
    'Environments',
    'Final ε',
    'Prefill iterations',
  ])
    expect(labels.some((l) => l.startsWith(label))).toBe(true);
  expect(rows.length).toBeGreaterThanOrEqual(18);
  // Each with an explanation and the engine's default for 11 variables (the layered sampler's batch is 32).
  for (const row of rows) expect(row.hint, row.label).toMatch(/\w.*Default [^…]+\.$/);
  expect(rows.find((r) => r.label.startsWith('Batch size'))!.hint).toContain('Default 32.');
  expect(rows.find((r) => r.label.startsWith('Final learning rate'))!.hint).toContain('Default 0.0003.');
  await expect(page.getByTestId('advanced-space')).toHaveText('layered GFlowNet');

  await options.setOption('batchSize', '9');
  await options.setOption('teacherSteps', '50');
  await page.getByLabel('DAGs to sample').fill('40');
  await page.keyboard.press('Tab');
  await page.getByTestId('train-learningRate').scrollIntoViewIfNeeded();
  await shot(page, 'model-advanced');
  await model.start();
  await runs.expectStatus(0, 'done', 150_000);
  const facts = page.locator('dt:text-is("training options") + dd');
  await expect(facts).toContainText('batch 9');
  await expect(facts).toContainText('50 teacher steps per iteration');
});

test('60 variables: the candidate-parent space before a run, searchable, widened by the user', async ({ page }) => {
  test.setTimeout(180_000);
  const scratch = path.join(PROJECT_ROOT, 'test-results', 'model-options-files');
  mkdirSync(scratch, { recursive: true });
  const file = path.join(scratch, 'wide60.csv');
  writeFileSync(file, formatDataCsv(generateSynthetic({ nodes: 60, edgesPerNode: 1, rows: 300, seed: 15 })));
  const importPage = new ImportPage(page);
  const model = new ModelPage(page);
  const options = new ModelOptionsPart(page);

  await importPage.goto(server.url);
  await importPage.uploadFile(file);
  await importPage.expectShape(300, 60);
  await page.getByTestId('to-model').click();
  await model.chooseSampler('gflownet');
  const asked = Date.now();
  await expect(options.headline).toContainText('Automatic space', { timeout: 60_000 });
  console.log(`candidate space of 60 variables shown ${((Date.now() - asked) / 1000).toFixed(1)} s after choosing the GFlowNet`);
  const automatic = await options.size();
  expect(automatic).toBeGreaterThan(0);
  await expect(options.spaceRows).toHaveCount(60);
  await expect(page.getByTestId('space-tables')).toContainText('within the budget of 60,000');
  const outside = await options.outsideEdges();
  expect(outside).toBeGreaterThan(0);
  let o = await overflowsSideways(page);
  expect(o.page).toBeLessThanOrEqual(o.window);
  expect(o.main).toBeLessThanOrEqual(1);

  // Search: one variable's row (and the rows that list it as a candidate).
  await page.getByTestId('space-search').fill('X17');
  const found = await options.spaceRows.count();
  expect(found).toBeGreaterThan(0);
  expect(found).toBeLessThan(60);
  await expect(options.spaceRows.first()).toContainText('X17');
  await page.getByTestId('space-search').fill('');

  await options.widen();
  await expect(options.headline).toContainText('Your space', { timeout: 60_000 });
  expect(await options.size()).toBe(automatic + 2);
  await expect(page.getByTestId('candidate-parents')).toHaveValue(String(automatic + 2));
  expect(await options.outsideEdges()).toBeLessThan(outside);
  o = await overflowsSideways(page);
  expect(o.page).toBeLessThanOrEqual(o.window);
  expect(o.main).toBeLessThanOrEqual(1);
  await options.space.scrollIntoViewIfNeeded();
  await shot(page, 'model-candidate-space');

  // Back to automatic: the cached space comes back.
  await page.getByTestId('space-automatic').click();
  expect(await options.size()).toBe(automatic);
});

test('the widened space is the one the run samples in (its facts name it)', async ({ page }) => {
  test.setTimeout(180_000);
  const scratch = path.join(PROJECT_ROOT, 'test-results', 'model-options-files');
  mkdirSync(scratch, { recursive: true });
  const file = path.join(scratch, 'synth20.csv');
  writeFileSync(file, formatDataCsv(generateSynthetic({ nodes: 20, edgesPerNode: 1, rows: 300, seed: 21 })));
  const importPage = new ImportPage(page);
  const model = new ModelPage(page);
  const options = new ModelOptionsPart(page);
  const runs = new RunPage(page);

  await importPage.goto(server.url);
  await importPage.uploadFile(file);
  await importPage.expectShape(300, 20);
  await page.getByTestId('to-model').click();
  await model.chooseSampler('gflownet', { iterations: 30, timeLimitSeconds: 5 });
  await expect(options.headline).toContainText('Automatic space', { timeout: 60_000 });
  const widened = (await options.size()) + 2;
  await options.widen();
  await expect(options.headline).toContainText('Your space', { timeout: 60_000 });
  expect(await options.size()).toBe(widened);
  await page.getByLabel('DAGs to sample').fill('50');
  await page.keyboard.press('Tab');
  await model.start();
  await runs.expectStatus(-1, 'done', 150_000);
  await expect(page.locator('dt:text-is("search space") + dd')).toContainText(`${widened} candidate parents per variable`);
});
