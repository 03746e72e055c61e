/**
 * The fixture site, as a signed-out or signed-in user meets it. Locates and acts; the specs
 * assert.
 */
import type { Locator, Page } from '@playwright/test';
import { MOCK_URL } from '../support/env.js';

export class SitePage {
  readonly homeLink: Locator;
  readonly loginLink: Locator;
  readonly logoutButton: Locator;
  readonly loginError: Locator;
  /** The account page's line about the chat: loaded, or why not. */
  readonly chatStatus: Locator;

  constructor(readonly page: Page) {
    this.homeLink = page.getByRole('link', { name: 'Example Shop' });
    this.loginLink = page.getByRole('link', { name: 'Log in' });
    this.logoutButton = page.getByRole('button', { name: 'Log out' });
    this.loginError = page.getByRole('main').getByRole('alert');
    this.chatStatus = page.locator('#chat-status');
  }

  async gotoHome(): Promise<void> {
    await this.page.goto('/');
  }

  /** Follows the site's own link home, as a person would (the page stays in the history). */
  async gotoHomeByLink(): Promise<void> {
    // A new document, not a URL change: from the home page the URL stays the same.
    await Promise.all([this.page.waitForEvent('domcontentloaded'), this.homeLink.click()]);
  }

  /**
   * Goes Back one page, as the browser's Back button does, and waits until that page is on
   * screen. A page restored from the back/forward cache fires no load event, so this waits for
   * the commit and then for the site's banner in the page that came back. Pressing Back again
   * before that is a race with the browser, not a user's action: Chromium can refuse the second
   * history navigation ("Not attached to an active page") while it swaps the restored page in.
   */
  async goBack(): Promise<void> {
    await this.page.goBack({ waitUntil: 'commit' });
    await this.homeLink.waitFor();
  }

  async goForward(): Promise<void> {
    await this.page.goForward({ waitUntil: 'commit' });
    await this.homeLink.waitFor();
  }

  /** Leaves the site for a page of another origin (the vendor's health check serves as one). */
  async gotoAnotherSite(): Promise<void> {
    await this.page.goto(`${MOCK_URL}/__admin/health`);
  }

  async gotoHelp(): Promise<void> {
    await this.page.goto('/help');
  }

  async gotoAccount(): Promise<void> {
    await this.page.goto('/account');
  }

  /** Signs in through the login form; lands on the account page. */
  async login(email: string, password = 'password'): Promise<void> {
    await this.fillLogin(email, password);
    await this.submitLogin();
  }

  /** Opens the login page and fills in the form, without sending it. */
  async fillLogin(email: string, password = 'password'): Promise<void> {
    await this.page.goto('/login');
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
  }

  async submitLogin(): Promise<void> {
    await this.submitLoginWithoutWaiting();
    await this.page.waitForURL('**/account');
  }

  /** Submits the filled login form, without waiting for the page it leads to. */
  async submitLoginWithoutWaiting(): Promise<void> {
    await this.page.getByRole('button', { name: 'Log in' }).click();
  }

  /** Sends the login form expecting the site to refuse it: the form comes back with its error. */
  async submitRefusedLogin(): Promise<void> {
    await this.page.getByRole('button', { name: 'Log in' }).click();
    await this.loginError.waitFor();
  }

  /** Clicks a link that opens in a new tab; returns that tab. */
  async openLinkInNewTab(name: string): Promise<Page> {
    const [tab] = await Promise.all([this.page.waitForEvent('popup'), this.page.getByRole('link', { name }).click()]);
    await tab.waitForLoadState();
    return tab;
  }

  /** Opens a page of the site with window.open, as a site's own script would; returns it. */
  async openWindow(path: string): Promise<Page> {
    const [tab] = await Promise.all([this.page.waitForEvent('popup'), this.page.evaluate((url) => void window.open(url), path)]);
    await tab.waitForLoadState();
    return tab;
  }

  /**
   * Ends the site's own session without any page knowing, as a session that expires does, or a
   * single-page app that forgets its user before it tells the chat: pages loaded from now on
   * show nobody signed in and tag nobody.
   */
  async endSession(): Promise<void> {
    await this.page.context().clearCookies({ name: 'site_session' });
  }

  /** Clicks "Log out": the site resets the chat, ends its session, and goes home. */
  async logout(): Promise<void> {
    await this.logoutButton.click();
    // Signed out when the "Log in" link is back: the URL alone cannot tell, logging out from home.
    await this.loginLink.waitFor();
    await this.page.waitForURL((url) => url.pathname === '/');
  }
}
