import { expect, type Locator, type Page } from 'playwright/test';

/** Page object of the trust badge (Run and Posterior screens): its level, headline and evidence. */
export class TrustBadgePart {
  readonly badge: Locator;
  readonly headline: Locator;

  constructor(readonly page: Page) {
    this.badge = page.getByTestId('trust-badge');
    this.headline = page.getByTestId('trust-headline');
  }

  async level(): Promise<string> {
    return (await this.badge.getAttribute('data-level')) ?? '';
  }

  /** Wait until the verdict is final (no longer "checking"), then return its level. */
  async settled(timeout = 60_000): Promise<string> {
    await expect(this.badge).toBeVisible({ timeout });
    await expect(this.badge).not.toHaveAttribute('data-level', 'pending', { timeout });
    return this.level();
  }

  /** Open "why?" and return the evidence in words. */
  async evidence(): Promise<string> {
    await this.page.getByTestId('trust-more').click();
    return (await this.page.getByTestId('trust-details').textContent()) ?? '';
  }
}

/** Wider than the window, anywhere? The page and the app's scrolling main area must both fit. */
export async function overflowsSideways(page: Page): Promise<{ page: number; main: number; window: number }> {
  return page.evaluate(() => {
    const main = document.querySelector('main');
    return {
      page: document.documentElement.scrollWidth,
      main: main ? main.scrollWidth - main.clientWidth : 0,
      window: window.innerWidth,
    };
  });
}
