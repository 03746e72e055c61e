/** Everything a page's origin keeps in Web Storage, flattened to text for `toContain` checks. */
import type { BrowserContext, Page } from '@playwright/test';

export function webStorageText(page: Page): Promise<{ local: string; session: string }> {
  return page.evaluate(() => ({
    local: Object.entries(localStorage).flat().join('\n'),
    session: Object.entries(sessionStorage).flat().join('\n'),
  }));
}

/** How a browser may refuse a page its Web Storage. */
export type StorageRefusal =
  /** The site's data is blocked: reading `localStorage` or `sessionStorage` throws a SecurityError. */
  | 'blocked'
  /** The storage is there but full: every `setItem` throws a QuotaExceededError. */
  | 'full';

/** Makes every page of the context refuse Web Storage as Chromium does; runs before the page's own scripts. */
export async function refuseWebStorage(context: BrowserContext, refusal: StorageRefusal): Promise<void> {
  await context.addInitScript((refusal: StorageRefusal) => {
    if (refusal === 'full') {
      Storage.prototype.setItem = function () {
        throw new DOMException("Failed to execute 'setItem' on 'Storage': the quota has been exceeded.", 'QuotaExceededError');
      };
      return;
    }
    for (const kind of ['localStorage', 'sessionStorage']) {
      Object.defineProperty(window, kind, {
        configurable: true,
        get() {
          throw new DOMException(
            `Failed to read the '${kind}' property from 'Window': Access is denied for this document.`,
            'SecurityError',
          );
        },
      });
    }
  }, refusal);
}
