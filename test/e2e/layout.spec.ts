/**
 * Issue 15 item 11: the window's layered layout of the Sachs consensus graph is readable at
 * thresholds 0.1–0.5 — no edge passes under a node other than its ends, no probability label
 * covers a node or another label. GraphView measures the laid-out positions ELK gave it (the
 * positions and routes it draws) with shared/graphLayout.ts `layoutProblems` and shows the
 * counts; ELK runs in a web worker, so the check also proves the worker answers in browser mode.
 */
import * as path from 'node:path';
import { expect, test, type Locator } from 'playwright/test';
import type { Method } from './pages/ModelPage.ts';
import { PROJECT_ROOT, startBrowserMode, type BrowserModeServer } from './support/browserMode.ts';
import { sampleRunPosterior } from './support/sampleRun.ts';

let server: BrowserModeServer;
test.beforeAll(async () => {
  server = await startBrowserMode();
});
test.afterAll(async () => server?.stop());

/** Wait for the layered layout of the current edges, then read what it measured. */
async function laidOut(graph: Locator, edges: number): Promise<{ crossings: number; labelOverlaps: number; problems: string }> {
  await expect(graph).toHaveAttribute('data-edges', String(edges));
  await expect(graph).toHaveAttribute('data-laying-out', 'false');
  await expect(graph).toHaveAttribute('data-routed', String(edges));
  return {
    crossings: Number(await graph.getAttribute('data-crossings')),
    labelOverlaps: Number(await graph.getAttribute('data-label-overlaps')),
    problems: (await graph.getAttribute('data-layout-problems')) ?? '',
  };
}

for (const [method, budget] of [
  ['exact', {}],
  ['mc3', { iterations: 3000, timeLimitSeconds: 20 }],
] as Array<[Method, { iterations?: number; timeLimitSeconds?: number }]>) {
  test(`Sachs, ${method}: no edge under a node and no label on another at thresholds 0.1 to 0.5`, async ({ page }) => {
    test.setTimeout(180_000);
    const errors: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    const { posterior } = await sampleRunPosterior(page, server.url, 'sachs_obs_853.csv', method, budget);
    for (const threshold of [0.5, 0.3, 0.2, 0.1]) {
      await posterior.setThreshold(threshold);
      const edges = await posterior.visibleEdges();
      const measured = await laidOut(posterior.graph, edges);
      expect(measured, `threshold ${threshold}, ${edges} edges: ${measured.problems}`).toMatchObject({ crossings: 0, labelOverlaps: 0 });
      if (method === 'mc3' && (threshold === 0.2 || threshold === 0.3))
        await posterior.graph.screenshot({ path: path.join(PROJECT_ROOT, 'docs', 'screenshots', `layout-sachs-mc3-${threshold}.png`) });
    }
    if (method === 'mc3') {
      await posterior.setThreshold(0.2);
      await page.getByTestId('graph-layout').selectOption('circle');
      await posterior.graph.screenshot({ path: path.join(PROJECT_ROOT, 'docs', 'screenshots', 'layout-sachs-mc3-circle.png') });
      // the circle keeps no room for numbers: an edge's probability shows under the pointer (here Mek → Raf)
      const box = (await posterior.graph.boundingBox())!;
      await page.mouse.move(box.x + 380, box.y + 30);
      await page.mouse.move(box.x + 390, box.y + 35);
      await expect(posterior.graph).toHaveAttribute('data-hovered-edge', /^0\.\d{3}$/);
      await posterior.graph.screenshot({ path: path.join(PROJECT_ROOT, 'docs', 'screenshots', 'layout-sachs-mc3-circle-hover.png') });
    }
    expect(errors).toEqual([]);
  });
}

test('without its web worker (the script cannot load) ELK lays the graph out in the window', async ({ page }) => {
  test.setTimeout(120_000);
  await page.route('**/elk-worker*', (route) => route.abort());
  const { posterior } = await sampleRunPosterior(page, server.url, 'sachs_obs_853.csv', 'exact');
  await posterior.setThreshold(0.3);
  const measured = await laidOut(posterior.graph, await posterior.visibleEdges());
  expect(measured).toMatchObject({ crossings: 0, labelOverlaps: 0 });
});
