/**
 * Issue 8 in browser mode, through the real UI and engine: run MC3 on the Sachs sample, save
 * the session (a download), start a fresh server and page, open the saved session (an upload)
 * and find the same runs and the same Posterior view; export GraphML through the window and
 * check that it holds exactly the edges at or above the threshold. A damaged session is refused
 * in the window.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect, test, type Page } from 'playwright/test';
import { ImportPage } from './pages/ImportPage.ts';
import { ModelPage } from './pages/ModelPage.ts';
import { PosteriorPage } from './pages/PosteriorPage.ts';
import { RunPage } from './pages/RunPage.ts';
import { SessionPage } from './pages/SessionPage.ts';
import { PROJECT_ROOT, startBrowserMode, type BrowserModeServer } from './support/browserMode.ts';

const scratch = path.join(PROJECT_ROOT, 'test-results', 'session-files');
let server: BrowserModeServer | undefined;

test.beforeAll(() => {
  mkdirSync(scratch, { recursive: true });
  mkdirSync(path.join(PROJECT_ROOT, 'test-results', 'screenshots'), { recursive: true });
});
test.afterAll(async () => server?.stop());

/** Stop the server; if it has not exited in time (a connection held open), end it. */
async function stopWithin(running: BrowserModeServer, ms: number): Promise<void> {
  const timer = setTimeout(() => running.process.kill('SIGKILL'), ms);
  await running.stop();
  clearTimeout(timer);
}

/** The run's edge marginals as the Node side serves them (the same request the Posterior screen makes). */
async function marginals(page: Page, runId: string): Promise<{ variables: string[]; marginals: number[] }> {
  return page.evaluate(async (id) => {
    const res = await fetch('/api/getPosterior', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ runId: id, topDags: 0 }),
    });
    return ((await res.json()) as { value: { variables: string[]; marginals: number[] } }).value;
  }, runId);
}

test('a session saved, reopened in a fresh window, gives the same runs and Posterior view; GraphML export holds the edges at the threshold', async ({
  page,
}) => {
  test.setTimeout(90_000);
  server = await startBrowserMode();
  const importPage = new ImportPage(page);
  const model = new ModelPage(page);
  const runs = new RunPage(page);
  const posterior = new PosteriorPage(page);
  const sessions = new SessionPage(page);

  await importPage.goto(server.url);
  await importPage.openSample('sachs_obs_853.csv');
  await importPage.expectShape(853, 11);
  await page.getByTestId('to-model').click();
  // Prior knowledge from a graph file: an unknown node is named with its line; then PKA → Raf is forbidden.
  const badDot = path.join(scratch, 'bad.dot');
  writeFileSync(badDot, 'digraph {\n  PKA -> Raf;\n  PKA -> Nope;\n}\n');
  await page.getByTestId('import-forbidden-file').setInputFiles(badDot);
  await expect(page.getByTestId('import-forbidden-error')).toContainText('bad.dot, row 3');
  await expect(page.getByTestId('import-forbidden-error')).toContainText('Nope');
  const forbidDot = path.join(scratch, 'forbid.dot');
  writeFileSync(forbidDot, 'digraph { PKA -> Raf; }\n');
  await page.getByTestId('import-forbidden-file').setInputFiles(forbidDot);
  await expect(page.getByTestId('import-knowledge-status')).toContainText('1 forbidden edges from forbid.dot (dot)');
  await model.chooseSampler('mc3', { iterations: 2000, timeLimitSeconds: 20 });
  await model.start();
  await runs.expectStatus(0, 'done', 60_000);
  const runLabels = await runs.list.locator('tbody tr').allTextContents();
  expect(runLabels).toHaveLength(1);
  await runs.openPosterior(0);
  await expect(posterior.heatCells).toHaveCount(11 * 11);
  await posterior.setThreshold(0.3);
  const edges = await posterior.visibleEdges();
  const heat = await posterior.heatValues();
  expect(edges).toBeGreaterThan(0);

  // GraphML through the window: exactly the edges with P ≥ 0.3.
  const graphml = await posterior.export('graphml');
  expect(graphml.suggestedFilename()).toMatch(/^sachs_obs_853-mc3-run-\d+-consensus\.graphml$/);
  const graphmlFile = path.join(scratch, 'consensus.graphml');
  await graphml.saveAs(graphmlFile);
  const xml = readFileSync(graphmlFile, 'utf8');
  const exported = [...xml.matchAll(/<edge [^>]*source="([^"]+)" target="([^"]+)"/g)].map((m) => `${m[1]}→${m[2]}`).sort();
  const runId = (await page.getByTestId('posterior-run').inputValue())!;
  const post = await marginals(page, runId);
  const d = post.variables.length;
  const expected: string[] = [];
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++)
      if (i !== j && post.marginals[i * d + j]! >= 0.3) expected.push(`${post.variables[i]}→${post.variables[j]}`);
  expect(exported).toEqual(expected.sort());
  // The imported forbidden edge held in the run.
  expect(post.marginals[post.variables.indexOf('PKA') * d + post.variables.indexOf('Raf')]).toBe(0);
  expect(exported).toHaveLength(edges);

  // The window's layered view draws every edge along ELK's route (cytoscape-elk), and the PNG
  // export (resvg) is a real PNG of the same consensus graph.
  await expect(page.getByTestId('consensus-graph')).toHaveAttribute('data-routed', String(edges));
  await page
    .getByTestId('consensus-graph')
    .screenshot({ path: path.join(PROJECT_ROOT, 'test-results', 'screenshots', 'session-consensus-layered.png') });
  const png = await posterior.export('png');
  expect(png.suggestedFilename()).toMatch(/-consensus\.png$/);
  const pngFile = path.join(PROJECT_ROOT, 'test-results', 'screenshots', 'session-consensus-export.png');
  await png.saveAs(pngFile);
  const pngBytes = readFileSync(pngFile);
  expect([...pngBytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(pngBytes.readUInt32BE(16)).toBeGreaterThan(200); // IHDR width

  // Save the session (a download in browser mode).
  const saved = await sessions.save();
  expect(saved.suggestedFilename()).toBe('sachs_obs_853.dagflow');
  const sessionFile = path.join(scratch, 'saved.dagflow');
  await saved.saveAs(sessionFile);
  const stored = JSON.parse(readFileSync(sessionFile, 'utf8')) as {
    runs: Array<{ samples?: unknown[]; packedSamples?: { count: number } }>;
    views: { threshold?: number };
  };
  expect(stored.runs).toHaveLength(1);
  // Since format 2 the samples are packed (src/gflownet/session/packedSamples.ts).
  expect(stored.runs[0]!.samples).toBeUndefined();
  expect(stored.runs[0]!.packedSamples!.count).toBeGreaterThan(0);
  expect(stored.views.threshold).toBe(0.3);

  // A fresh server and page: nothing of the first window is left. The page lets go of the
  // old server first (its event stream would otherwise hold the server's shutdown open).
  await page.goto('about:blank');
  const restart = Date.now();
  await stopWithin(server, 10_000);
  const stopped = Date.now();
  server = await startBrowserMode();
  console.log(`fresh server: stopped in ${stopped - restart} ms, started in ${Date.now() - stopped} ms`);
  await importPage.goto(server.url);
  await expect(page.getByTestId('tab-posterior')).toBeDisabled();
  await sessions.open(sessionFile);
  await sessions.expectOpened(1);
  await expect(posterior.heatCells).toHaveCount(11 * 11);
  await expect(posterior.thresholdValue).toHaveText('0.300');
  expect(await posterior.visibleEdges()).toBe(edges);
  expect(await posterior.heatValues()).toEqual(heat);
  await page.screenshot({ path: path.join(PROJECT_ROOT, 'test-results', 'screenshots', 'session-reopened-posterior.png') });
  await runs.tab.click();
  expect(await runs.list.locator('tbody tr').allTextContents()).toEqual(runLabels);
  // An uploaded session's data path is never followed on the server (issue 16 item 4): the
  // window asks for the data, and the same bytes, uploaded, relink it.
  await expect(sessions.dataWaiting).toContainText('sachs_obs_853.csv');
  await page.getByTestId('session-data-file').setInputFiles(path.join(PROJECT_ROOT, 'samples', 'sachs_obs_853.csv'));
  await expect(sessions.dataWaiting).toHaveCount(0);
  // The data came back too: the Model screen has the settings (MC3) and can start new runs.
  await model.open();
  await expect(model.sampler).toHaveValue('mc3');
  await expect(page.getByText('1 forbidden · 0 required')).toBeVisible();
  await page.screenshot({ path: path.join(PROJECT_ROOT, 'test-results', 'screenshots', 'session-reopened-model.png') });

  // Opening over finished runs asks first (answered yes here).
  const asked: string[] = [];
  page.on('dialog', (dialog) => {
    asked.push(dialog.message());
    void dialog.accept();
  });
  // A damaged session: a clear error in the window, the open session stays.
  const broken = path.join(scratch, 'broken.dagflow');
  writeFileSync(broken, readFileSync(sessionFile, 'utf8').slice(0, 200));
  await sessions.open(broken);
  await expect(sessions.error).toContainText('damaged');
  const newer = path.join(scratch, 'newer.dagflow');
  writeFileSync(newer, JSON.stringify({ ...JSON.parse(readFileSync(sessionFile, 'utf8')), version: 99 }));
  await sessions.open(newer);
  await expect(sessions.error).toContainText('newer DAGFlow');
  expect(asked[0]).toContain('replaces the 1 finished run');
  await runs.tab.click();
  await expect(runs.row(0).getByTestId('run-status')).toHaveText('done');
});
