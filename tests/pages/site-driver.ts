/**
 * Any site, through its adapter (sites/): the few things the site-level clauses do on a site,
 * as a person would. Locates and acts through the adapter; the specs assert.
 */
import type { Page } from '@playwright/test';
import type { SiteAccount, SiteAdapter } from '../../sites/adapter.js';

export class SiteDriver {
  constructor(
    readonly page: Page,
    readonly adapter: SiteAdapter,
  ) {}

  async gotoHome(): Promise<void> {
    await this.page.goto(this.adapter.home);
  }

  /**
   * Opens the home page as a new history entry, even where the tab shows it already: a
   * navigation to the URL the tab is on replaces the entry, so a query string (ignored by the
   * site) tells the two apart.
   */
  async gotoHomeAgain(): Promise<void> {
    const url = new URL(this.adapter.home, this.adapter.baseURL);
    url.searchParams.set('visit', String(Date.now()));
    await this.page.goto(url.toString());
  }

  /**
   * A person logs in or out in the tab in front of them. With the extension loaded, the tabs of
   * a profile share one window, and a tab left behind another one gets no animation frames: a
   * click there waits for ever for the page to settle.
   */
  async login(account: SiteAccount): Promise<void> {
    await this.page.bringToFront();
    await this.adapter.login(this.page, account);
  }

  async logout(): Promise<void> {
    await this.page.bringToFront();
    await this.adapter.logout(this.page);
  }

  /**
   * Browser Back, waiting for the page that comes back: restored from the back/forward cache
   * (no load event ever fires for it) or loaded again (until its document is parsed).
   */
  async goBack(): Promise<void> {
    await this.page.goBack({ waitUntil: 'commit' });
    await this.page.waitForFunction(() => document.readyState !== 'loading');
  }

  /** Opens another page of the site in a new tab from the site's own link; needs 'open-in-new-tab'. */
  async openInNewTab(): Promise<Page> {
    if (!this.adapter.openInNewTab) throw new Error(`the ${this.adapter.name} adapter cannot open a page in a new tab`);
    return this.adapter.openInNewTab(this.page);
  }
}
