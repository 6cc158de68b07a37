/**
 * Issue 15, item 4: the Posterior screen groups the DAGs by equivalence class (CPDAG), with the
 * DAG view as a drill-down. On three variables every class fits the list, so the classes'
 * frequencies add up to 1 for a sampled run and for the exact posterior's listed DAGs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect, test } from 'playwright/test';
import { formatDataCsv, generateSynthetic } from '../../src/gflownet/synth/generate.ts';
import { ClassListPart } from './pages/ClassListPart.ts';
import { ImportPage } from './pages/ImportPage.ts';
import { ModelPage } from './pages/ModelPage.ts';
import { RunPage } from './pages/RunPage.ts';
import { PROJECT_ROOT, startBrowserMode, type BrowserModeServer } from './support/browserMode.ts';

let server: BrowserModeServer;
const scratch = path.join(PROJECT_ROOT, 'test-results', 'classes-files');
test.beforeAll(async () => {
  mkdirSync(scratch, { recursive: true });
  server = await startBrowserMode();
});
test.afterAll(async () => server?.stop());

test('DAGs grouped by CPDAG: frequencies add up to 1, classes drill down to their DAGs', async ({ page }) => {
  test.setTimeout(180_000);
  const file = path.join(scratch, 'three.csv');
  writeFileSync(file, formatDataCsv(generateSynthetic({ nodes: 3, edgesPerNode: 1, rows: 200, seed: 4 })));
  const importPage = new ImportPage(page);
  const model = new ModelPage(page);
  const runs = new RunPage(page);
  const classes = new ClassListPart(page);

  await importPage.goto(server.url);
  await importPage.uploadFile(file);
  await importPage.expectShape(200, 3);
  await page.getByTestId('to-model').click();
  await model.chooseSampler('mc3', { iterations: 3000, timeLimitSeconds: 20 });
  await model.start();
  await runs.expectStatus(0, 'done');
  await runs.openPosterior(0);

  const sampled = await classes.probabilities();
  expect(sampled.length).toBe(await classes.distinct());
  expect(sampled.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 9);
  // Most frequent first.
  expect([...sampled].sort((a, b) => b - a)).toEqual(sampled);
  await classes.draw(0);
  const cpdagEdges = Number(await classes.graph.getAttribute('data-edges'));
  await classes.draw(0, 0);
  // A member DAG has the class's skeleton: as many edges as its CPDAG.
  await expect(classes.graph).toHaveAttribute('data-edges', String(cpdagEdges));

  // The exact posterior on 3 variables lists all 25 DAGs: its 11 classes carry all the probability.
  await model.open();
  await model.chooseSampler('exact');
  await model.start();
  await runs.expectStatus(1, 'done');
  await runs.openPosterior(1);
  await expect(classes.summary).toContainText('11 equivalence classes among the listed DAGs');
  const exact = await classes.probabilities();
  expect(exact).toHaveLength(11);
  expect(exact.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 9);
});

test('Sachs: the classes on screen, for the note', async ({ page }) => {
  test.setTimeout(180_000);
  const importPage = new ImportPage(page);
  const model = new ModelPage(page);
  const runs = new RunPage(page);
  const classes = new ClassListPart(page);
  await importPage.goto(server.url);
  await importPage.openSample('sachs_obs_853.csv');
  await page.getByTestId('to-model').click();
  await model.chooseSampler('mc3', { iterations: 4000, timeLimitSeconds: 20 });
  await model.start();
  await runs.expectStatus(-1, 'done');
  await runs.openPosterior(-1);
  expect(await classes.distinct()).toBeGreaterThan(0);
  await classes.draw(0);
  await page.getByTestId('class-list').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(PROJECT_ROOT, 'docs', 'screenshots', 'classes-posterior.png'), fullPage: false });
});
