/**
 * A site adapter: everything the harness needs to check the chat's identity lifecycle on one
 * web site, whether the site embeds the widget itself or the harness injects it as a browser
 * extension would. One module per site, under sites/<name>/; `SITE=<name> npm test` runs the
 * site-level clauses (C25) against it.
 *
 * An adapter knows the site, not the widget: how to start it, its test accounts, how a person
 * logs in and out, and how a page shows who is signed in. It never asserts.
 */
import type { Page } from '@playwright/test';

/** A test account of the site, and the profile the site's integration tags it with. */
export interface SiteAccount {
  /** What a person types to log in (an email or a user name). */
  login: string;
  password: string;
  /** What the page shows of the signed-in user, as `signedIn` reads it. Defaults to `login`. */
  shownAs?: string;
  /** The customer's email: the key the vendor knows the customer by. */
  email: string;
  firstname: string;
  lastname: string;
}

/**
 * How a page tells who is signed in, read inside the page by the injected integration (so it
 * must be data, not a function): the text of `who`, or a value the site keeps in web storage.
 * Until `ready` matches an element the page has not yet said either way (a single-page app
 * that has not rendered), and nothing is decided.
 */
export type SignedInProbe =
  | { kind: 'element'; ready: string; who: string; attribute?: string }
  | { kind: 'storage'; area: 'local' | 'session'; key: string; ready?: string };

/** How the site's server is started for a run, as Playwright's `webServer` takes it. */
export interface SiteServer {
  command: string;
  /** Answers 2xx once the site is up. */
  url: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** What a site offers that some clauses need; a clause needing one the site lacks is "not applicable". */
export type SiteAbility =
  /** Logging in as another account while one is signed in, without logging out first. */
  | 'login-while-signed-in'
  /** A link or button that opens another page of the site in a new tab. */
  | 'open-in-new-tab';

export interface SiteAdapter {
  name: string;
  /** One line for reports: what the site is. */
  description: string;
  /** Where the site is: its origin, with no trailing slash. */
  baseURL: string;
  /** Started by the harness for the run; absent for a site that is already running. */
  server?: SiteServer;
  /**
   * `embedded`: the site loads the widget and calls CV.user.tag/reset itself (the harness only
   * tells it which workspace to use). `injected`: the site knows nothing of the chat; the
   * harness puts the widget on its pages and plays the integration from `signedIn`.
   */
  widget: 'embedded' | 'injected';
  /**
   * Where an injected widget reaches the vendor: the mock server itself (the default), or a
   * first-party path of the site that proxies it (needed where the site's `connect-src` allows
   * only its own origin).
   */
  vendorBase?: (mockUrl: string) => string;
  /**
   * Set where the site's Content-Security-Policy would block the injected widget (its
   * `connect-src` does not allow the vendor), with the reason: the harness then bypasses the
   * site's CSP and the report says so. Unset, such a site fails with the directive named.
   */
  bypassCsp?: string;
  /** Three accounts at least: the clauses log in as the first, switch to the second, and so on. */
  accounts: readonly SiteAccount[];
  signedIn: SignedInProbe;
  /** Abilities the site has; a clause needing another one is reported "not applicable". */
  abilities: readonly SiteAbility[];
  /** The path of a public page every visitor can open. */
  home: string;
  /** Prepares a new browser context (before any page opens): the embedded site's workspace, a site's knobs. */
  prepareContext?(context: import('@playwright/test').BrowserContext, options: { workspaceId: string }): Promise<void>;
  /** Run once before the run's first test, after the server is up: create accounts, seed data. */
  setUp?(): Promise<void>;
  /** Logs in through the site's own form, as a person would, and waits until the site shows it. */
  login(page: Page, account: SiteAccount): Promise<void>;
  /** Logs out through the site's own control, and waits until the site shows it. */
  logout(page: Page): Promise<void>;
  /** Opens another page of the site in a new tab, as a person would ('open-in-new-tab'). */
  openInNewTab?(page: Page): Promise<Page>;
}

/** The account's name as the page shows it. */
export const shownName = (account: SiteAccount): string => account.shownAs ?? account.login;
