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

  /**
   * Resolves when the window next sends its state to the Node side (about 0.4 s after a change).
   * Call it before the change, await it after: a reload sooner than that would lose the change.
   */
  synced(views: { screen?: string; graphLayout?: string } = {}): Promise<unknown> {
    return this.page.waitForResponse((r) => {
      if (!r.url().includes('/api/updateSession') || !r.ok()) return false;
      // An earlier push still under way must not count: the state sent must hold the change.
      const sent = (r.request().postDataJSON() as { views?: Record<string, unknown> } | null)?.views ?? {};
      return Object.entries(views).every(([key, value]) => sent[key] === value);
    });
  }

  /** Reload the page as F5 does and wait until the window has asked the Node side for its session. */
  async reload(): Promise<void> {
    const restored = this.page.waitForResponse((r) => r.url().includes('/api/getSessionState') && r.ok());
    await this.page.reload();
    await restored;
    await expect(this.page.getByTestId('backend')).toContainText(/tensorflow|wasm|cpu/);
  }

  async expectOpened(runs: number): Promise<void> {
    await expect(this.status).toContainText(`Opened`);
    await expect(this.status).toContainText(`${runs} run`);
  }
}
