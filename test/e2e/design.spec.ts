/**
 * The Next-experiment panel in browser mode on Sachs: an MC3 run, then the targets ranked by
 * expected information gain about all edges, as uPlot bars with error whiskers and one sentence
 * per target.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect, test } from 'playwright/test';
import { ImportPage } from './pages/ImportPage.ts';
import { ModelPage } from './pages/ModelPage.ts';
import { RunPage } from './pages/RunPage.ts';
import { PROJECT_ROOT, startBrowserMode, type BrowserModeServer } from './support/browserMode.ts';

let server: BrowserModeServer;
const shots = path.join(PROJECT_ROOT, 'test-results', 'screenshots');

test.beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startBrowserMode();
});
test.afterAll(async () => server?.stop());

test('Next experiment on Sachs: ranked targets with error bars and what we would learn', async ({ page }) => {
  test.setTimeout(180_000);
  const importPage = new ImportPage(page);
  const model = new ModelPage(page);
  const runs = new RunPage(page);
  await importPage.goto(server.url);
  await importPage.openSample('sachs_obs_853.csv');
  await importPage.expectShape(853, 11);
  await page.getByTestId('to-model').click();
  await model.chooseScore('bge');
  await model.chooseSampler('mc3', { iterations: 20000, timeLimitSeconds: 15 });
  await model.start();
  await runs.expectStatus(0, 'done');

  await page.getByTestId('tab-answers').click();
  const panel = page.getByTestId('next-experiment');
  await expect(panel).toBeVisible();
  await page.getByTestId('design-rows').fill('50');
  await panel.getByLabel('Simulated experiments per target').fill('8');
  await page.getByTestId('design-rank').click();
  await expect(page.getByTestId('design-target')).toHaveCount(11, { timeout: 120_000 });
  await expect(page.getByTestId('design-chart').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('design-summary')).toContainText('all edges');
  const sentences = await page.getByTestId('design-target').allTextContents();
  for (const s of sentences)
    expect(s).toMatch(
      /^do\(\w+\) with 50 rows would remove (\d+\.\d{3} ± \d+\.\d{3}|no measurable part \(-?\d+\.\d{3} ± \d+\.\d{3}\)) of the \d+\.\d{3} nats/,
    );
  // Ranked: the expected gains read from the sentences never increase down the list.
  const gains = sentences.map((s) => Number(/remove (?:no measurable part \()?(-?\d+\.\d{3})/.exec(s)![1]));
  for (let k = 1; k < gains.length; k++) expect(gains[k]!).toBeLessThanOrEqual(gains[k - 1]!);
  await page.screenshot({ path: path.join(shots, 'design-1-ranking.png'), fullPage: true });

  // One edge and its direction, for the Answers screen's pair.
  await page.getByTestId('answers-cause').selectOption({ label: 'PKC' });
  await page.getByTestId('answers-effect').selectOption({ label: 'P38' });
  await page.getByTestId('design-query').selectOption('edge');
  await page.getByTestId('design-rank').click();
  await expect(page.getByTestId('design-summary')).toContainText('the edge between PKC and P38', { timeout: 120_000 });

  // Close the loop: 60 rows "under do(PKC)" (rows of the file with an INT column naming PKC) pooled and rerun.
  const lines = readFileSync(path.join(PROJECT_ROOT, 'samples', 'sachs_obs_853.csv'), 'utf8')
    .trim()
    .split(/\r?\n/);
  const header = lines[0]!.split(',');
  const pkc = header.indexOf('PKC') + 1;
  const csv = [`${lines[0]},INT`, ...lines.slice(1, 61).map((l) => `${l},${pkc}`)].join('\n') + '\n';
  await page.getByTestId('design-new-rows').setInputFiles({ name: 'do-pkc.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('design-import').click();
  await expect(page.getByTestId('design-pooled')).toContainText('60 new rows (60 rows under do(PKC)) pooled with the 853 rows');
  await expect(page.getByTestId('design-before-after')).toContainText('nats before', { timeout: 120_000 });
  await page.screenshot({ path: path.join(shots, 'design-2-before-after.png'), fullPage: true });
});
