import { expect, type Locator, type Page } from 'playwright/test';

/** Page object of the Run screen: the session's runs with status, progress and cancel. */
export class RunPage {
  readonly tab: Locator;
  readonly list: Locator;
  readonly progress: Locator;

  constructor(readonly page: Page) {
    this.tab = page.getByTestId('tab-run');
    this.list = page.getByTestId('run-list');
    this.progress = page.getByTestId('run-progress');
  }

  /** A run by position in the session's list; -1 is the newest (the server keeps runs across pages). */
  row(index: number): Locator {
    const rows = this.list.locator('tbody tr');
    return index < 0 ? rows.last() : rows.nth(index);
  }

  async expectStatus(index: number, status: string | RegExp, timeout = 90_000): Promise<void> {
    await expect(this.row(index).getByTestId('run-status')).toHaveText(status, { timeout });
  }

  async cancel(index: number): Promise<void> {
    await this.row(index).getByTestId('cancel-run').click();
  }

  async openPosterior(index: number): Promise<void> {
    await this.row(index).getByTestId('view-posterior').click();
  }
}
