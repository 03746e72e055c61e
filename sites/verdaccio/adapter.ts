/**
 * verdaccio 6, a private npm registry installed from npm (a devDependency), as a site nobody
 * here wrote: a React single-page app whose login is a dialog and whose logout is a menu item,
 * neither of which loads a page. It knows nothing of the chat, so the harness injects the
 * widget. It keeps the signed-in user name in localStorage (`username`), which is how the
 * injected integration tells who is signed in.
 *
 * Its server sends `Content-Security-Policy: connect-src 'self'`, which blocks any chat vendor
 * it does not proxy; the adapter opts in to bypassing CSP, and the report says so.
 */
import type { Page } from '@playwright/test';
import type { SiteAccount, SiteAdapter } from '../adapter.js';

const PORT = Number(process.env.TEST_VERDACCIO_PORT ?? 4330);
const BASE = `http://127.0.0.1:${PORT}`;

const ACCOUNTS: SiteAccount[] = [
  { login: 'john', password: 'john-registry-pass', email: 'john.doe@example.com', firstname: 'John', lastname: 'Doe' },
  { login: 'jane', password: 'jane-registry-pass', email: 'jane.roe@example.com', firstname: 'Jane', lastname: 'Roe' },
  { login: 'max', password: 'max-registry-pass', email: 'max.mustermann@example.com', firstname: 'Max', lastname: 'Mustermann' },
];

/** The account menu's button in the header; the login button is the same one while signed out. */
const accountButton = (page: Page) => page.getByTestId('header-right').getByRole('button').last();

export const verdaccio: SiteAdapter = {
  name: 'verdaccio',
  description: 'verdaccio 6.8 (npm registry web UI, a single-page app), the widget injected by the harness',
  baseURL: BASE,
  server: {
    command: `node --import tsx sites/verdaccio/serve.ts --port ${PORT}`,
    url: `${BASE}/-/ping`,
    timeoutMs: 90_000,
  },
  widget: 'injected',
  bypassCsp: "verdaccio sends connect-src 'self' and has no first-party path to proxy a chat vendor through",
  accounts: ACCOUNTS,
  signedIn: { kind: 'storage', area: 'local', key: 'username', ready: '[data-testid="header-right"]' },
  abilities: [],
  home: '/',

  /**
   * Creates the accounts through the registry's own API (`npm adduser`), once per run: each
   * worker calls this, and an account that exists already must then take its password.
   */
  async setUp() {
    for (const account of ACCOUNTS) {
      const created = await fetch(`${BASE}/-/user/org.couchdb.user:${account.login}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: account.login, password: account.password }),
      });
      if (created.ok) continue;
      const basic = Buffer.from(`${account.login}:${account.password}`).toString('base64');
      const whoami = await fetch(`${BASE}/-/whoami`, { headers: { authorization: `Basic ${basic}` } });
      const known = whoami.ok && ((await whoami.json()) as { username?: string }).username === account.login;
      if (!known)
        throw new Error(
          `verdaccio has no account ${account.login} with the adapter's password (adduser: ${created.status} ${await created.text()})`,
        );
    }
  },

  async login(page, account) {
    await page.getByRole('button', { name: 'Login' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Username').fill(account.login);
    await dialog.getByLabel('Password').fill(account.password);
    await dialog.getByRole('button', { name: 'Login' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('logInDialogIcon').waitFor();
  },

  async logout(page) {
    await accountButton(page).click();
    await page.getByRole('menuitem', { name: 'Logout' }).click();
    await page.getByRole('button', { name: 'Login' }).waitFor();
  },
};
