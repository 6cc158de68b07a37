/**
 * The Answers screen in browser mode on Sachs: an MC3 run, then the effect of do(PKC) on P38 as
 * a uPlot distribution with its interval and P(no effect), path probabilities with error bars on
 * hover, a what-if that re-answers from the same samples, "test my graph" with the Sachs
 * consensus network, a soft belief with its prior-sensitivity panel, and the causal-effects export.
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { expect, test, type Page } from 'playwright/test';
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

const shot = (page: Page, name: string): Promise<Buffer> =>
  page.screenshot({ path: path.join(shots, `answers-${name}.png`), fullPage: true });

test('Answers on Sachs: effect distribution, path error bars, what-if and a hypothesis', async ({ page }) => {
  const importPage = new ImportPage(page);
  const model = new ModelPage(page);
  const runs = new RunPage(page);
  await importPage.goto(server.url);
  await importPage.openSample('sachs_obs_853.csv');
  await importPage.expectShape(853, 11);
  await page.getByTestId('to-model').click();
  await model.chooseScore('bge');
  await model.chooseSampler('mc3', { iterations: 100000, timeLimitSeconds: 30 });
  await model.start();
  await runs.expectStatus(0, 'done');

  await page.getByTestId('tab-answers').click();
  await page.getByTestId('answers-cause').selectOption({ label: 'PKC' });
  await page.getByTestId('answers-effect').selectOption({ label: 'P38' });
  await expect(page.getByTestId('effect-mean')).toContainText('±');
  await expect(page.getByTestId('effect-chart').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('effect-interval')).toHaveText(/^\[-?\d\.\d{4}, -?\d\.\d{4}\]$/);
  const noPath = Number((await page.getByTestId('effect-no-path').textContent())!.trim());
  expect(noPath).toBeGreaterThanOrEqual(0);
  expect(noPath).toBeLessThanOrEqual(1);
  await expect(page.getByTestId('path-cell')).toHaveCount(11 * 10);
  // Error bars on hover: the title of a path cell carries "± SE".
  expect(await page.getByTestId('path-cell').first().getAttribute('title')).toMatch(/^P\(Raf ⇝ Mek\) = \d\.\d{3} ± \d\.\d{3}$/);
  await shot(page, '1-effect');

  // What-if: rule out Raf → Mek (a cell of the edge matrix); the source line reports what is left.
  const before = await page.getByTestId('path-cell').first().textContent();
  await page.getByTestId('whatif-cell').first().click();
  await expect(page.getByTestId('answers-source').or(page.getByTestId('answers-error'))).toContainText(
    /what-if|too few samples left: rerun/,
  );
  if (await page.getByTestId('answers-error').isVisible()) {
    await expect(page.getByTestId('answers-error')).toContainText('too few samples left: rerun');
  } else {
    await expect(page.getByTestId('path-cell').first()).not.toHaveText(before!);
  }
  await shot(page, '2-what-if');
  await page.getByRole('button', { name: 'Clear the what-if' }).click();

  // Tiers as a what-if: P38 and Jnk in a later tier than the rest, so nothing flows from them into PKC.
  await page.getByTestId('whatif-tiers').locator('summary').click();
  await page.getByLabel('Tier of P38').fill('1');
  await page.getByLabel('Tier of P38').dispatchEvent('change');
  await page.getByLabel('Tier of Jnk').fill('1');
  await page.getByLabel('Tier of Jnk').dispatchEvent('change');
  await expect(page.getByTestId('answers-source').or(page.getByTestId('answers-error'))).toContainText(
    /what-if|too few samples left: rerun/,
  );
  await page.getByRole('button', { name: 'Clear the tiers' }).click();

  // Test my graph: the Sachs consensus network.
  await page
    .getByTestId('graph-text')
    .fill(
      [
        'Erk -> Akt',
        'Mek -> Erk',
        'PIP3 -> PIP2',
        'PKA -> Akt',
        'PKA -> Erk',
        'PKA -> Jnk',
        'PKA -> Mek',
        'PKA -> P38',
        'PKA -> Raf',
        'PKC -> Jnk',
        'PKC -> Mek',
        'PKC -> P38',
        'PKC -> PKA',
        'PKC -> Raf',
        'Plcg -> PIP2',
        'Plcg -> PIP3',
        'Raf -> Mek',
      ].join('\n'),
    );
  await page.getByTestId('place-graph').click();
  await expect(page.getByTestId('hypothesis-rank')).toHaveText(/^\d+ of \d+$/);
  await expect(page.getByTestId('hypothesis')).toContainText('dp');
  await shot(page, '3-hypothesis');
  // Prior sensitivity: a belief PKC → P38 re-weights every answer (no rerun); the panel says which answers moved.
  await page.getByTestId('belief-from').selectOption({ label: 'PKC' });
  await page.getByTestId('belief-to').selectOption({ label: 'P38' });
  await page.getByTestId('belief-add').click();
  await expect(page.getByTestId('belief-summary').or(page.getByTestId('answers-error'))).toContainText(/Z′\/Z|too few samples left: rerun/);
  if (!(await page.getByTestId('answers-error').isVisible())) {
    // At 0.8 the data argue against the belief (Z′/Z < 1), and the effect of do(PKC) on P38 depends on it.
    await expect(page.getByTestId('belief-summary')).toContainText(/Z′\/Z = 0\.\d{3}\s+\(the data argue against them\)/);
    await expect(page.getByTestId('belief-effect')).toContainText(/PKC\)? on P38: -?\d\.\d{3} → -?\d\.\d{3}\s+— depends on the belief/);
    await expect(page.getByTestId('belief-moved')).toContainText('P(PKC ⇝ P38)');
  }
  await shot(page, '4-beliefs');
  // Back to neutral (1/3): the beliefs weigh nothing, Z′/Z = 1 and nothing moves.
  await page.getByTestId('belief-slider').fill('0.33');
  await expect(page.getByTestId('belief-summary')).toContainText(/Z′\/Z = (0\.99\d|1\.00\d)/);
  await expect(page.getByTestId('belief-moved-none')).toBeVisible();

  // Exports carry the answers: the causal effects of every pair, and the JSON with error bars.
  await page.getByTestId('tab-posterior').click();
  await page.getByTestId('export-format').selectOption('causal-effects');
  const download = page.waitForEvent('download');
  await page.getByTestId('export-go').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/causal_effects\.csv$/);
  const { readFileSync } = await import('node:fs');
  const text = readFileSync((await file.path())!, 'utf8').split('\n');
  expect(text[0]).toBe('cause,effect,mean,mean_se,sd,structural_sd,parameter_sd,interval_low,interval_high,p_no_path,p_no_path_se,units');
  expect(text.filter((l) => l !== '')).toHaveLength(1 + 11 * 10);
});
