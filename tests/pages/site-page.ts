/**
 * The fixture site, as a signed-out or signed-in user meets it. Locates and acts; the specs
 * assert.
 */
import type { Locator, Page } from '@playwright/test';

export class SitePage {
  readonly loginLink: Locator;
  readonly logoutButton: Locator;
  readonly loginError: Locator;
  /** The account page's line about the chat: loaded, or why not. */
  readonly chatStatus: Locator;

  constructor(readonly page: Page) {
    this.loginLink = page.getByRole('link', { name: 'Log in' });
    this.logoutButton = page.getByRole('button', { name: 'Log out' });
    this.loginError = page.getByRole('main').getByRole('alert');
    this.chatStatus = page.locator('#chat-status');
  }

  async gotoHome(): Promise<void> {
    await this.page.goto('/');
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
    await this.page.getByRole('button', { name: 'Log in' }).click();
    await this.page.waitForURL('**/account');
  }

  /** Clicks "Log out": the site resets the chat, ends its session, and goes home. */
  async logout(): Promise<void> {
    await this.logoutButton.click();
    await this.page.waitForURL((url) => url.pathname === '/');
  }
}
