import { expect, type Locator, type Page } from 'playwright/test';

/** The Model screen's GFlowNet parts: the advanced training options and the candidate-parent search space. */
export class ModelOptionsPart {
  readonly advanced: Locator;
  readonly space: Locator;
  readonly spaceSize: Locator;
  readonly spaceOutside: Locator;
  readonly spaceRows: Locator;
  readonly headline: Locator;

  constructor(readonly page: Page) {
    this.advanced = page.getByTestId('advanced-training');
    this.space = page.getByTestId('candidate-space');
    this.spaceSize = page.getByTestId('space-size');
    this.spaceOutside = page.getByTestId('space-outside');
    this.spaceRows = page.getByTestId('space-row');
    this.headline = page.getByTestId('space-headline');
  }

  async openAdvanced(): Promise<void> {
    await this.advanced.locator('summary').click();
    await expect(this.page.getByTestId('train-batchSize')).toBeVisible();
  }

  /** Every option row: its label text and its one-line explanation. */
  async optionRows(): Promise<Array<{ label: string; hint: string }>> {
    return this.advanced.locator('.opt').evaluateAll((rows) =>
      rows.map((r) => ({
        label: (r.querySelector('label')?.textContent ?? '').trim(),
        hint: (r.querySelector('.field-hint')?.textContent ?? '').trim(),
      })),
    );
  }

  async setOption(key: string, value: string): Promise<void> {
    await this.page.getByTestId(`train-${key}`).fill(value);
    // Inputs commit on change: leave the field.
    await this.page.keyboard.press('Tab');
  }

  /** The space's K once it is computed (not while a new one is on its way). */
  async size(): Promise<number> {
    await expect(this.page.getByTestId('space-computing')).toHaveCount(0, { timeout: 60_000 });
    return Number(await this.spaceSize.textContent());
  }

  async outsideEdges(): Promise<number> {
    return Number(((await this.spaceOutside.textContent()) ?? '').split(' of ')[0]!.replace(/,/g, ''));
  }

  async widen(): Promise<void> {
    await this.page.getByTestId('widen-space').click();
  }
}
