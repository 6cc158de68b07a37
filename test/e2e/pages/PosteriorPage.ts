import { expect, type Download, type Locator, type Page } from 'playwright/test';

/** Page object of the Posterior screen: heat map, threshold, consensus graph, DAG browser. */
export class PosteriorPage {
  readonly tab: Locator;
  readonly heatCells: Locator;
  readonly threshold: Locator;
  readonly thresholdValue: Locator;
  readonly edgeCount: Locator;
  readonly graph: Locator;
  readonly run: Locator;

  constructor(readonly page: Page) {
    this.tab = page.getByTestId('tab-posterior');
    this.heatCells = page.getByTestId('heat-cell');
    this.threshold = page.getByTestId('threshold');
    this.thresholdValue = page.getByTestId('threshold-value');
    this.edgeCount = page.getByTestId('edge-count');
    this.graph = page.getByTestId('consensus-graph');
    this.run = page.getByTestId('posterior-run');
  }

  async visibleEdges(): Promise<number> {
    const text = (await this.edgeCount.textContent()) ?? '';
    return Number(text.match(/\d+/)?.[0] ?? NaN);
  }

  async setThreshold(value: number): Promise<void> {
    await this.threshold.fill(String(value));
    await expect(this.thresholdValue).toHaveText(value.toFixed(3));
  }

  async stepThreshold(direction: 'up' | 'down'): Promise<void> {
    await this.page.getByTestId(`threshold-${direction}`).click();
  }

  /** Export the shown run in a format (browser mode: a download) at the current threshold. */
  async export(format: string): Promise<Download> {
    await this.page.getByTestId('export-format').selectOption(format);
    const download = this.page.waitForEvent('download');
    await this.page.getByTestId('export-go').click();
    return download;
  }

  /** The heat map's probabilities as the cells show them (aria labels), row by row. */
  async heatValues(): Promise<string[]> {
    return this.heatCells.evaluateAll((cells) => cells.map((c) => c.getAttribute('aria-label') ?? c.getAttribute('title') ?? ''));
  }

  /** Type a node's name in the search box: it becomes the selected node, its neighbourhood in focus. */
  async findNode(name: string): Promise<void> {
    await this.page.getByTestId('node-search').fill(name);
    await this.page.getByTestId('node-search').press('Enter');
  }

  async hoverCell(index: number): Promise<string> {
    await this.heatCells.nth(index).hover();
    return (await this.page.getByTestId('heat-readout').textContent()) ?? '';
  }
}
