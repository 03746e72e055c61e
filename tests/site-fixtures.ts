/**
 * Fixtures of the site-level specs (tests/sites/): the same vendor fixtures as every spec (a
 * workspace of the test's own), and browsers on the site that `SITE` names, with the widget
 * on its pages the way the adapter says: embedded by the site, or injected by the harness in
 * one of two modes (`INJECTION`):
 *
 *   init-script (default)  the injected script through `context.addInitScript`, in ordinary
 *                          browser contexts;
 *   extension              an unpacked Manifest V3 extension carrying the same script as a
 *                          MAIN-world document_start content script, loaded into a persistent
 *                          Chromium profile (one browser per profile: slower).
 *
 *   siteTest('…', async ({ visitor, newVisitor, accounts }) => …)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIRequestContext, BrowserContext, Page } from '@playwright/test';
import { injectionFor, writeExtension } from '../extension/build.js';
import type { SiteAbility, SiteAccount, SiteAdapter } from '../sites/adapter.js';
import { siteFromEnv } from '../sites/registry.js';
import { launchWithExtension } from '../extension/launch.js';
import { vendorTest, expect } from './fixtures.js';
import { ChatWidget } from './pages/chat-widget.js';
import { SiteDriver } from './pages/site-driver.js';
import { connectBlockedBy } from './support/csp.js';
import { MOCK_URL } from './support/env.js';
import { hearWidgetCoverage } from './support/widget-coverage.js';
import { BUILD_NAMES } from './support/browser-build.js';
import { findChromium } from '../scripts/browser.js';

export type Injection = 'embedded' | 'init-script' | 'extension';

/** One person's browser on the site: a tab, the site as they use it, and the widget on it. */
export interface SiteVisitor {
  context: BrowserContext;
  page: Page;
  site: SiteDriver;
  widget: ChatWidget;
}

interface SiteFixtures {
  /** The first visitor: a fresh browser profile with one tab, nothing opened yet. */
  visitor: SiteVisitor;
  /** Another browser profile (another device) on the same site and workspace. */
  newVisitor: () => Promise<SiteVisitor>;
  /** Another tab the user opens in the same profile. */
  newTab: (visitor: SiteVisitor) => Promise<SiteVisitor>;
  /** The adapter's accounts: the clauses sign in as the first, then the second. */
  accounts: readonly SiteAccount[];
  /** The script the harness injects into the site's pages for this test's workspace. */
  injectionScript: () => Promise<string>;
}

interface SiteWorkerFixtures {
  adapter: SiteAdapter;
  injection: Injection;
}

function injectionFromEnv(adapter: SiteAdapter): Injection {
  if (adapter.widget === 'embedded') return 'embedded';
  const wanted = process.env.INJECTION || 'init-script';
  if (wanted !== 'init-script' && wanted !== 'extension') {
    throw new Error(`INJECTION=${wanted}: the harness injects by "init-script" (default) or "extension"`);
  }
  return wanted;
}

/** The injected script for a workspace, carrying the widget under test as the mock server serves it. */
async function buildInjection(adapter: SiteAdapter, workspaceId: string, mockApi: APIRequestContext): Promise<string> {
  const widget = await mockApi.get(`/cdn/js/${workspaceId}.js`);
  if (!widget.ok()) throw new Error(`the mock server did not serve the widget under test: ${widget.status()} ${await widget.text()}`);
  return injectionFor(adapter, workspaceId, MOCK_URL, await widget.text());
}

/**
 * A site whose Content-Security-Policy blocks the vendor is a finding, not a flaky test: every
 * test of the run fails with the directive named, unless the adapter opts in to bypassing it.
 */
async function checkSiteCsp(adapter: SiteAdapter): Promise<void> {
  const home = await fetch(new URL(adapter.home, adapter.baseURL));
  const vendor = adapter.vendorBase?.(MOCK_URL) ?? MOCK_URL;
  const blocking = connectBlockedBy(home.headers.get('content-security-policy'), adapter.baseURL, vendor);
  if (blocking && !adapter.bypassCsp) {
    throw new Error(
      `the site ${adapter.name} blocks the widget's API: its Content-Security-Policy "${blocking}" does not allow ${new URL(vendor).origin}. ` +
        'The widget cannot work there unless the site allows that origin in connect-src or proxies the vendor on its own origin; ' +
        "to test the lifecycle anyway, set the adapter's bypassCsp (with the reason).",
    );
  }
}

/** Injects into a page the init script missed; a page that has the integration already is left alone. */
async function injectLate(page: Page, script: string): Promise<void> {
  try {
    await page.waitForLoadState('domcontentloaded');
    await page.evaluate(script);
  } catch {
    // The tab closed or navigated away first: nothing to inject into.
  }
}

export const siteTest = vendorTest.extend<SiteFixtures, SiteWorkerFixtures>({
  adapter: [
    async ({}, use) => {
      const adapter = siteFromEnv();
      await adapter.setUp?.();
      if (adapter.widget === 'injected') await checkSiteCsp(adapter);
      await use(adapter);
    },
    { scope: 'worker' },
  ],

  injection: [async ({ adapter }, use) => use(injectionFromEnv(adapter)), { scope: 'worker' }],

  // The extension runs in profiles of full Chromium of its own (extension/launch.ts), whatever the worker's browser.
  browserBuild: [
    async ({ injection, browserBuild }, use) =>
      use(injection === 'extension' ? `${BUILD_NAMES.full} (${findChromium()?.description}), a profile with the extension` : browserBuild),
    { scope: 'worker' },
  ],

  accounts: async ({ adapter }, use) => {
    await use(adapter.accounts);
  },

  injectionScript: async ({ adapter, workspace, mockApi }, use) => {
    let script: Promise<string> | undefined;
    await use(() => (script ??= buildInjection(adapter, workspace.id, mockApi)));
  },

  newVisitor: async ({ adapter, injection, workspace, browser, playwright, headless, injectionScript }, use, testInfo) => {
    const opened: { context: BrowserContext; cleanUp?: () => void }[] = [];

    await use(async () => {
      let context: BrowserContext;
      if (injection === 'extension') {
        const dir = mkdtempSync(join(tmpdir(), 'cv-harness-'));
        context = await launchWithExtension(playwright.chromium, {
          profileDir: join(dir, 'profile'),
          extensionDir: await writeExtension(join(dir, 'extension'), await injectionScript()),
          headless,
          baseURL: adapter.baseURL,
          bypassCSP: Boolean(adapter.bypassCsp),
        });
        opened.push({ context, cleanUp: () => rmSync(dir, { recursive: true, force: true }) });
        await hearWidgetCoverage(context);
      } else {
        context = await browser.newContext({ baseURL: adapter.baseURL, bypassCSP: Boolean(adapter.bypassCsp) });
        opened.push({ context });
        await hearWidgetCoverage(context);
        if (injection === 'init-script') {
          const script = await injectionScript();
          await context.addInitScript({ content: script });
          // Chromium runs no init script in a tab opened with an opener (target=_blank rel=opener,
          // window.open): its first document replaces the initial about:blank in the same window.
          // There the harness injects once the document is parsed, as a late async widget would load.
          context.on('page', (page) => void injectLate(page, script));
        }
      }
      await adapter.prepareContext?.(context, { workspaceId: workspace.id });
      const page = context.pages()[0] ?? (await context.newPage());
      return { context, page, site: new SiteDriver(page, adapter), widget: new ChatWidget(page) };
    });

    // A failed test's report gets what the injected integration saw and did, page by page.
    if (testInfo.status !== testInfo.expectedStatus && injection !== 'embedded') {
      const logs = await Promise.all(
        opened.flatMap(({ context }) =>
          context
            .pages()
            .map((page) =>
              page
                .evaluate(() => (window as { __cvHarness?: { state(): unknown } }).__cvHarness?.state() ?? null)
                .catch((err: Error) => err.message),
            ),
        ),
      );
      const path = testInfo.outputPath('integration-log.json');
      writeFileSync(path, JSON.stringify(logs, null, 2));
      await testInfo.attach('injected integration log', { path, contentType: 'application/json' });
    }
    for (const { context, cleanUp } of opened) {
      await context.close();
      cleanUp?.();
    }
  },

  visitor: async ({ newVisitor }, use) => {
    await use(await newVisitor());
  },

  newTab: async ({ adapter }, use) => {
    await use(async ({ context }) => {
      const page = await context.newPage();
      return { context, page, site: new SiteDriver(page, adapter), widget: new ChatWidget(page) };
    });
  },
});

/** Marks the running test "not applicable" when the site lacks what the clause needs. */
export function needsAbility(adapter: SiteAdapter, ability: SiteAbility, why: string): void {
  const has = adapter.abilities.includes(ability);
  if (!has) {
    siteTest.info().annotations.push({ type: 'not-applicable', description: `the site ${adapter.name} lacks ${ability}: ${why}` });
  }
  siteTest.skip(!has, `not applicable: the site ${adapter.name} lacks "${ability}"`);
}

export { expect };
