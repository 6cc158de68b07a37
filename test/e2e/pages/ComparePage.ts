import { expect, type Locator, type Page } from 'playwright/test';

/** Page object of the Compare screen: two runs, an optional true graph, the figures. */
export class ComparePage {
  readonly tab: Locator;
  readonly rmse: Locator;
  readonly truthMetrics: Locator;

  constructor(readonly page: Page) {
    this.tab = page.getByTestId('tab-compare');
    this.rmse = page.getByTestId('compare-rmse');
    this.truthMetrics = page.getByTestId('truth-metrics');
  }

  /** The pair the screen proposes: the two most recent finished runs, different from each other. */
  async defaultPair(): Promise<[string, string]> {
    await this.tab.click();
    return [await this.page.getByTestId('compare-a').inputValue(), await this.page.getByTestId('compare-b').inputValue()];
  }

  async compare(a: number, b: number, truth: 'none' | 'sample' = 'none'): Promise<void> {
    await this.tab.click();
    await this.page.getByTestId('compare-a').selectOption({ index: a });
    await this.page.getByTestId('compare-b').selectOption({ index: b });
    await this.page.getByTestId('truth-choice').selectOption(truth);
    await this.page.getByTestId('compare-go').click();
    await expect(this.rmse).toHaveText(/^\d+\.\d{4}$/);
  }

  /** Compares runs a and b against a true graph given as an edge-list file (from,to). */
  async compareWithTruthFile(a: number, b: number, file: string): Promise<void> {
    await this.tab.click();
    await this.page.getByTestId('compare-a').selectOption({ index: a });
    await this.page.getByTestId('compare-b').selectOption({ index: b });
    await this.page.getByTestId('truth-choice').selectOption('upload');
    await this.page.getByLabel('true graph file').setInputFiles(file);
    await this.page.getByTestId('compare-go').click();
    await expect(this.rmse).toHaveText(/^\d+\.\d{4}$/);
  }

  async rmseValue(): Promise<number> {
    return Number(await this.rmse.textContent());
  }
}
