/**
 * An unsaved session survives a crash (docs/architecture.md §8): run MC3 on the Sachs sample without ever
 * saving, kill the browser-mode server the way a crash would (SIGKILL, no clean-up), start a
 * fresh server on the same recovery folder, and recover the session from the banner: the run is
 * back, with its posterior.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { expect, test } from 'playwright/test';
import { ImportPage } from './pages/ImportPage.ts';
import { ModelPage } from './pages/ModelPage.ts';
import { RunPage } from './pages/RunPage.ts';
import { PROJECT_ROOT, startBrowserMode, type BrowserModeServer } from './support/browserMode.ts';

const recoveryDir = path.join(PROJECT_ROOT, 'test-results', 'recovery');
const servers: BrowserModeServer[] = [];

test.beforeAll(() => {
  rmSync(recoveryDir, { recursive: true, force: true });
  mkdirSync(recoveryDir, { recursive: true });
});
test.afterAll(async () => {
  for (const s of servers) await s.stop();
});

const autosaves = (): string[] => (existsSync(recoveryDir) ? readdirSync(recoveryDir).filter((f) => /^untitled-.*\.dagflow$/.test(f)) : []);

test('an unsaved session is recovered after the server is killed', async ({ page }) => {
  test.setTimeout(90_000);
  const first = await startBrowserMode(['--recovery-dir', recoveryDir]);
  servers.push(first);
  const importPage = new ImportPage(page);
  await importPage.goto(first.url);
  await importPage.openSample('sachs_obs_853.csv');
  await importPage.expectShape(853, 11);
  await page.getByTestId('to-model').click();
  const model = new ModelPage(page);
  await model.chooseSampler('mc3', { iterations: 2000, timeLimitSeconds: 20 });
  await model.start();
  const runs = new RunPage(page);
  await runs.expectStatus(0, 'done', 60_000);
  // The autosave of the finished run (1.5 s after the last change); the file holds the run from
  // its start, as interrupted, until then.
  await expect.poll(autosaves, { timeout: 15_000 }).toHaveLength(1);
  const finishedInFile = (): boolean => {
    const runs = (JSON.parse(readFileSync(path.join(recoveryDir, autosaves()[0]!), 'utf8')) as { runs: Array<{ status?: string }> }).runs;
    return runs.length === 1 && runs[0]!.status === undefined;
  };
  await expect.poll(finishedInFile, { timeout: 15_000 }).toBe(true);

  first.process.kill('SIGKILL');
  await new Promise<void>((resolve) =>
    first.process.exitCode !== null || first.process.signalCode !== null ? resolve() : first.process.once('exit', () => resolve()),
  );
  expect(autosaves()).toHaveLength(1);

  const second = await startBrowserMode(['--recovery-dir', recoveryDir]);
  servers.push(second);
  await page.goto(second.url);
  const banner = page.getByTestId('session-recovery');
  await expect(banner).toHaveCount(1, { timeout: 15_000 });
  await expect(banner).toContainText('sachs_obs_853.csv');
  await expect(banner).toContainText('1 run');
  await page.getByTestId('session-recover').click();
  await expect(banner).toHaveCount(0, { timeout: 15_000 });
  await page.getByTestId('tab-run').click();
  await expect(runs.list.locator('tbody tr')).toHaveCount(1, { timeout: 15_000 });
  await runs.expectStatus(0, 'done', 15_000);
});
