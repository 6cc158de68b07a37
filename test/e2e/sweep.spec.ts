/**
 * The Sweep tab in browser mode: a sweep folder made by `dagflow sweep --local` (3 MC3 seeds ×
 * a grid over the parent bound, 3 variables) opened by its path: every task's state, the
 * combined posterior of each grid cell with error bars, and the sensitivity table; a folder that
 * is not a sweep gets the reason.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect, test } from 'playwright/test';
import { PROJECT_ROOT, startBrowserMode, type BrowserModeServer } from './support/browserMode.ts';

let server: BrowserModeServer;
const work = mkdtempSync(path.join(tmpdir(), 'dagflow-e2e-sweep-'));
const sweepDir = path.join(work, 'sweep');
const shots = path.join(PROJECT_ROOT, 'test-results', 'screenshots');

function dagflow(...args: string[]): void {
  const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'dagflow.mjs'), ...args], { encoding: 'utf8', timeout: 170_000 });
  if (r.status !== 0) throw new Error(`dagflow ${args[0]} failed: ${r.stderr}`);
}

test.beforeAll(async () => {
  test.setTimeout(240_000);
  mkdirSync(shots, { recursive: true });
  dagflow('generate', '--nodes', '3', '--edges-per-node', '1', '--rows', '60', '--seed', '5', '--out', path.join(work, 'gen'));
  dagflow(
    'sweep',
    '--data',
    path.join(work, 'gen', 'data.csv'),
    '--method',
    'mc3',
    '--seeds',
    '3',
    '--grid',
    'max-parents=0,2',
    '--iterations',
    '400',
    '--chains',
    '2',
    '--no-workers',
    '--out',
    sweepDir,
    '--local',
    '2',
  );
  server = await startBrowserMode();
});
test.afterAll(async () => server?.stop());

test('a sweep folder opens like a run: task progress, combined posterior per grid cell, sensitivity', async ({ page }) => {
  await page.goto(server.url);
  await page.getByTestId('tab-sweep').click();
  await page.getByTestId('sweep-path').fill(path.join(work, 'gen'));
  await page.getByTestId('sweep-open').click();
  await expect(page.getByTestId('sweep-error')).toContainText('not a sweep folder: it has no sweep.json');

  await page.getByTestId('sweep-path').fill(sweepDir);
  await page.getByTestId('sweep-open').click();
  await expect(page.getByTestId('sweep-counts')).toContainText('6 done');
  await expect(page.getByTestId('sweep-counts')).toContainText('0 failed');
  await expect(page.getByTestId('sweep-tasks').locator('tbody tr')).toHaveCount(6);
  await expect(page.getByTestId('sweep-tasks').locator('tbody tr').first()).toContainText('max-parents=0');
  await expect(page.getByTestId('sweep-cell')).toHaveCount(2);
  await expect(page.getByTestId('sweep-cell').nth(1)).toContainText('max-parents=2: 3 runs');
  // With no parents allowed every edge is absent, so every edge the other cell finds moves with the bound.
  await expect(page.getByTestId('sweep-sensitivity').locator('tbody tr').first()).toContainText('max-parents');
  await page.getByTestId('sweep-refresh').click();
  await expect(page.getByTestId('sweep-counts')).toContainText('6 done');
  await page.screenshot({ path: path.join(shots, 'sweep.png'), fullPage: true });
});
