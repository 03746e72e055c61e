/** Everything a page's origin keeps in Web Storage, flattened to text for `toContain` checks. */
import type { Page } from '@playwright/test';

export function webStorageText(page: Page): Promise<{ local: string; session: string }> {
  return page.evaluate(() => ({
    local: Object.entries(localStorage).flat().join('\n'),
    session: Object.entries(sessionStorage).flat().join('\n'),
  }));
}
