import { expect, type Locator, type Page } from 'playwright/test';

export type Method = 'exact' | 'gflownet' | 'mc3' | 'order' | 'partition';

/** Page object of the Model screen: score, prior, sampler and budget, start. */
export class ModelPage {
  readonly tab: Locator;
  readonly sampler: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.tab = page.getByTestId('tab-model');
    this.sampler = page.getByTestId('sampler');
    this.error = page.getByTestId('model-error');
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.sampler).toBeVisible();
  }

  async chooseScore(score: 'bge' | 'bdeu'): Promise<void> {
    await this.page.getByTestId(`score-${score}`).check();
  }

  async chooseStructurePrior(kind: 'uniform' | 'erdos-renyi' | 'edge' | 'fair'): Promise<void> {
    await this.page.getByLabel('Structure prior').selectOption(kind);
  }

  async methods(): Promise<string[]> {
    return this.sampler.locator('option').evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value));
  }

  async chooseSampler(method: Method, budget: { iterations?: number; timeLimitSeconds?: number } = {}): Promise<void> {
    await this.sampler.selectOption(method);
    // The exact posterior has no budget.
    if (method === 'exact') return;
    if (budget.iterations !== undefined) await this.page.getByTestId('iterations').fill(String(budget.iterations));
    if (budget.timeLimitSeconds !== undefined) await this.page.getByTestId('time-limit').fill(String(budget.timeLimitSeconds));
    // Inputs commit on change: leave the field.
    await this.page.keyboard.press('Tab');
  }

  async setSeed(seed: number): Promise<void> {
    await this.page.getByLabel('Seed').fill(String(seed));
    await this.page.keyboard.press('Tab');
  }

  async start(): Promise<void> {
    await this.page.getByTestId('start-run').click();
  }
}
