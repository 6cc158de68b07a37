import type { Page } from 'playwright/test';

/** Appends an inline script to the page; true when it ran (a working CSP says false). */
export function injectedInlineScriptRan(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = 1';
    document.body.appendChild(s);
    return (window as unknown as { __injected?: number }).__injected === 1;
  });
}
