import { expect, type Locator, type Page } from 'playwright/test';

/** Page object of the Posterior screen's equivalence classes: rows, their frequencies, the drill-down. */
export class ClassListPart {
  readonly rows: Locator;
  readonly summary: Locator;
  readonly graph: Locator;

  constructor(readonly page: Page) {
    this.rows = page.getByTestId('class-row');
    this.summary = page.getByTestId('class-summary');
    this.graph = page.getByTestId('class-graph');
  }

  async probabilities(): Promise<number[]> {
    await expect(this.rows.first()).toBeVisible();
    return this.rows.evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-probability'))));
  }

  /** How many classes the run has in all (the summary's first number). */
  async distinct(): Promise<number> {
    return Number(((await this.summary.textContent()) ?? '').match(/(\d+) equivalence classes/)?.[1] ?? NaN);
  }

  /** Draw class `index` (its CPDAG), then optionally its member DAG `member`. */
  async draw(index: number, member?: number): Promise<void> {
    await this.page.getByTestId('draw-class').nth(index).click();
    await expect(this.graph).toBeVisible();
    if (member !== undefined) await this.page.getByTestId('draw-member').nth(member).click();
  }
}
