import { expect, type Locator, type Page } from 'playwright/test';

/** Page object of the first screen: open a data set and read its preview. */
export class ImportPage {
  readonly backend: Locator;
  readonly shape: Locator;
  readonly table: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.backend = page.getByTestId('backend');
    this.shape = page.getByTestId('preview-shape');
    this.table = page.getByTestId('preview-table');
    this.error = page.getByTestId('error');
  }

  async goto(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.backend).toContainText(/tensorflow|wasm|cpu/);
  }

  async openSample(fileName: string): Promise<void> {
    await this.page.getByTestId(`sample-${fileName}`).click();
  }

  async uploadFile(filePath: string): Promise<void> {
    await this.page.getByTestId('file-input').setInputFiles(filePath);
  }

  async expectShape(rows: number, columns: number): Promise<void> {
    await expect(this.shape).toContainText(`${rows.toLocaleString('en')} rows × ${columns} columns`);
  }
}
