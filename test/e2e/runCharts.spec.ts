/**
 * Issue 15 item 9 on the Run screen: a time-limited partition-MCMC run's ETA never exceeds what
 * its time limit leaves, and a finished MC3 run shows its log-score trace over the iterations,
 * with labelled axes.
 */
import * as path from 'node:path';
import { expect, test } from 'playwright/test';
import { PROJECT_ROOT, startBrowserMode, type BrowserModeServer } from './support/browserMode.ts';
import { startSampleRun } from './support/sampleRun.ts';

let server: BrowserModeServer;
test.beforeAll(async () => {
  server = await startBrowserMode();
});
test.afterAll(async () => server?.stop());

/** The ETA the Run screen shows, in seconds ('—' while it cannot tell). */
function etaSeconds(text: string): number | undefined {
  const m = text.match(/ETA (?:(\d+) min )?([\d.]+) s/);
  return m ? Number(m[1] ?? 0) * 60 + Number(m[2]) : undefined;
}

test('partition MCMC with a 20-s limit: the ETA stays within the limit; MC3 finished: its trace over iterations', async ({ page }) => {
  test.setTimeout(180_000);
  const limit = 20;
  const { model, runs } = await startSampleRun(page, server.url, 'sachs_obs_853.csv', 'partition', {
    iterations: 100_000_000,
    timeLimitSeconds: limit,
  });
  await expect(runs.progress).toContainText('ETA', { timeout: 60_000 });
  const seen: number[] = [];
  while ((await runs.row(-1).getByTestId('run-status').textContent()) === 'running') {
    const eta = etaSeconds((await runs.progress.textContent().catch(() => '')) ?? '');
    // the chain's clock starts after it read the data; its limit counts from there, and so does the ETA
    if (eta !== undefined) expect(eta).toBeLessThanOrEqual(limit);
    if (eta !== undefined) seen.push(eta);
    await page.waitForTimeout(700);
  }
  expect(seen.length).toBeGreaterThan(3);
  // it counts down
  expect(seen.at(-1)!).toBeLessThan(seen[0]!);
  await runs.expectStatus(-1, 'done');

  await model.open();
  await model.chooseSampler('mc3', { iterations: 20_000, timeLimitSeconds: 30 });
  await model.start();
  await runs.expectStatus(-1, 'done');
  const chart = page.getByTestId('run-chart');
  await expect(chart).toBeVisible();
  expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(1);
  const figure = page.locator('figure', { has: chart });
  await expect(figure).toHaveAttribute('data-x-label', /iteration|recorded/);
  await expect(figure).toHaveAttribute('data-y-label', 'log score');
  await page.screenshot({ path: path.join(PROJECT_ROOT, 'docs', 'screenshots', 'run-mc3-finished.png') });
});
