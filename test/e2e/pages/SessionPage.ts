import { expect, type Download, type Locator, type Page } from 'playwright/test';

/** Page object of the session controls in the header: save (a download in browser mode), open (an upload), status and errors. */
export class SessionPage {
  readonly status: Locator;
  readonly error: Locator;
  readonly dataWaiting: Locator;

  constructor(readonly page: Page) {
    this.status = page.getByTestId('session-status');
    this.error = page.getByTestId('session-error');
    this.dataWaiting = page.getByTestId('session-data-waiting');
  }

  /** Save the session; browser mode hands the .dagflow file over as a download. */
  async save(): Promise<Download> {
    const download = this.page.waitForEvent('download');
    await this.page.getByTestId('session-save').click();
    const file = await download;
    await expect(this.status).toContainText('Saved');
    return file;
  }

  /** Open a .dagflow file from disk (browser mode: an upload). */
  async open(filePath: string): Promise<void> {
    await this.page.getByTestId('session-file').setInputFiles(filePath);
  }

  async expectOpened(runs: number): Promise<void> {
    await expect(this.status).toContainText(`Opened`);
    await expect(this.status).toContainText(`${runs} run`);
  }
}
