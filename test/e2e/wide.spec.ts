/**
 * Issue 15, item 3: 60 variables at 1280×800. A 60-column file made by the engine's generator
 * goes through Import, Model (knowledge matrix), Run (live figures) and Posterior (scrollable,
 * zoomable heat map with sticky labels, a graph of the linked variables only, search and focus on
 * a node's neighbourhood) and Compare (a second run and the true graph) without any screen
 * growing wider than the window.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect, test, type Page } from 'playwright/test';
import { formatDataCsv, generateSynthetic } from '../../src/gflownet/synth/generate.ts';
import { ComparePage } from './pages/ComparePage.ts';
import { ImportPage } from './pages/ImportPage.ts';
import { ModelPage } from './pages/ModelPage.ts';
import { PosteriorPage } from './pages/PosteriorPage.ts';
import { RunPage } from './pages/RunPage.ts';
import { overflowsSideways, TrustBadgePart } from './pages/TrustBadgePart.ts';
import { PROJECT_ROOT, startBrowserMode, type BrowserModeServer } from './support/browserMode.ts';

let server: BrowserModeServer;
const scratch = path.join(PROJECT_ROOT, 'test-results', 'wide-files');
const D = 60;

test.beforeAll(async () => {
  mkdirSync(scratch, { recursive: true });
  server = await startBrowserMode();
});
test.afterAll(async () => server?.stop());

const shot = (page: Page, name: string): Promise<Buffer> =>
  page.screenshot({ path: path.join(PROJECT_ROOT, 'docs', 'screenshots', `wide-${name}.png`) });

async function expectFits(page: Page, where: string): Promise<void> {
  const o = await overflowsSideways(page);
  expect(o.page, `${where}: page width`).toBeLessThanOrEqual(o.window);
  expect(o.main, `${where}: main area scrolls sideways by`).toBeLessThanOrEqual(1);
}

test('60 variables from import to a compared posterior at 1280×800, never wider than the window', async ({ page }) => {
  test.setTimeout(240_000);
  const data = generateSynthetic({ nodes: D, edgesPerNode: 1, rows: 300, seed: 15 });
  const file = path.join(scratch, 'wide60.csv');
  writeFileSync(file, formatDataCsv(data));
  const importPage = new ImportPage(page);
  const model = new ModelPage(page);
  const runs = new RunPage(page);
  const posterior = new PosteriorPage(page);
  const trust = new TrustBadgePart(page);

  await importPage.goto(server.url);
  await importPage.uploadFile(file);
  await importPage.expectShape(300, D);
  await expectFits(page, 'Import');
  await shot(page, '1-import');

  await page.getByTestId('to-model').click();
  await expect(model.sampler).toBeVisible();
  await expectFits(page, 'Model');
  await shot(page, '2-model');
  // Bounded by time, not iterations: on a quiet machine 4,000 iterations end in about a second,
  // before the live figure has anything to show.
  await model.chooseSampler('mc3', { iterations: 100_000_000, timeLimitSeconds: 15 });
  await model.start();
  await expect(page.getByTestId('live-marginals')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('live-convergence-plot')).toBeVisible({ timeout: 60_000 });
  await expectFits(page, 'Run (running)');
  await shot(page, '3-run');
  await runs.expectStatus(0, 'done', 120_000);
  // Beyond 20 variables there is no exact answer: the chains' agreement speaks.
  await trust.settled();
  expect(await trust.evidence()).toMatch(/chains: R̂/);
  await expectFits(page, 'Run (done)');

  // The window's longest busy stretch while the posterior opens (a long task blocks clicks and scrolling).
  await page.evaluate(() => {
    const w = window as unknown as { longestTask: number };
    w.longestTask = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longestTask = Math.max(w.longestTask, e.duration);
    }).observe({ type: 'longtask' });
  });
  await runs.openPosterior(0);
  const opened = Date.now();
  await expect(posterior.heatCells).toHaveCount(D * D, { timeout: 120_000 });
  const shown = Date.now();
  await expect(posterior.graph).toHaveAttribute('data-laying-out', 'false', { timeout: 60_000 });
  const longest = await page.evaluate(() => (window as unknown as { longestTask: number }).longestTask);
  console.log(
    `posterior of 60 variables shown ${((shown - opened) / 1000).toFixed(1)} s after opening, graph laid out after ${((Date.now() - opened) / 1000).toFixed(1)} s; longest main-thread task ${longest.toFixed(0)} ms`,
  );
  await expectFits(page, 'Posterior');
  // The heat map scrolls inside its box (sticky labels), and zooms.
  const scroller = page.getByTestId('heat-scroller');
  const box = await scroller.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(box.scroll).toBeGreaterThan(box.client);
  await page.getByTestId('heat-zoom').fill('8');
  const zoomed = await scroller.evaluate((el) => el.scrollWidth);
  expect(zoomed).toBeLessThan(box.scroll);
  // Only linked variables are drawn; the others are counted.
  await posterior.setThreshold(0.5);
  await expect(page.getByTestId('graph-hidden')).toContainText(`of ${D} variables have no edge at this threshold`);
  // Find a node and focus on its neighbourhood.
  await posterior.findNode('X7');
  await expect(page.getByTestId('node-details')).toContainText('X7');
  await expect(posterior.graph).toHaveAttribute('data-focus', '7');
  // ELK lays the graph out in a web worker: the window stays usable meanwhile, and the picture is ready when it ends.
  await expect(posterior.graph).toHaveAttribute('data-laying-out', 'false', { timeout: 60_000 });
  await expect(posterior.graph).toHaveAttribute('data-crossings', '0');
  await expectFits(page, 'Posterior (focused)');
  await shot(page, '4-posterior');

  // A second chain set (another seed), compared with the first and with the generating graph.
  const truthFile = path.join(scratch, 'wide60-truth.csv');
  const edges: string[] = ['from,to'];
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) if (data.truth[i * D + j]) edges.push(`${data.columns[i]},${data.columns[j]}`);
  writeFileSync(truthFile, `${edges.join('\n')}\n`);
  await model.open();
  await model.chooseSampler('mc3', { iterations: 100_000_000, timeLimitSeconds: 10 });
  await model.setSeed(1);
  await model.start();
  await runs.expectStatus(1, 'done', 120_000);
  const compare = new ComparePage(page);
  await compare.compareWithTruthFile(0, 1, truthFile);
  await expect(compare.truthMetrics).toContainText('A ·');
  await expect(page.getByTestId('roc-curve-plot').locator('canvas')).toBeVisible();
  await expectFits(page, 'Compare');
  await shot(page, '5-compare');
});
