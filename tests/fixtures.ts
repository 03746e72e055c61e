/**
 * The suite's fixtures. Every test gets its own workspace on the shared mock server (its
 * settings are fixture options), and its browser context embeds that workspace, so tests run
 * in parallel without ever sharing a visitor, a customer or a conversation.
 *
 *   test.use({ idMode: 'local' })                         a workspace with long-lived ids
 *   test('…', async ({ site, widget, agent, workspace, newVisitor }) => …)
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { expect, type APIRequestContext, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import { SITE_AGENTS } from '../fixture-site/src/users.js';
import { setSiteKnobs, type Embed, type Proof, type SiteCache, type SiteCsp, type SiteKnobs } from './support/site-knobs.js';
import type { AnonymousMessages, IdentityVerification, WorkspaceSettings } from '../protocol/control-api.js';
import type { IdMode } from '../protocol/widget-api.js';
import { ChatWidget } from './pages/chat-widget.js';
import { SitePage } from './pages/site-page.js';
import { AdminClient, type AgentCredentials, type SeedCustomer, type WorkspaceDump, type WorkspaceSpec } from './support/admin-client.js';
import { AgentClient } from './support/agent-client.js';
import { IDENTITY_SECRET, MOCK_URL, REFERENCE_WIDGET, SITE_URL, WIDGET_UNDER_TEST } from './support/env.js';
import { hearWidgetCoverage, recordTestCoverage } from './support/widget-coverage.js';
import { test as base } from './support/browser-build.js';

export interface TestWorkspace {
  id: string;
  agents: AgentCredentials[];
  /** Everything the server stored for this workspace, read back now. */
  data(): Promise<WorkspaceDump>;
  /** Changes the workspace's settings, as the vendor's admin console would. */
  updateSettings(settings: Partial<WorkspaceSettings>): Promise<void>;
  /** The visitors whose event streams are open now, one entry per stream. */
  openStreams(): Promise<string[]>;
  /** Ends every event stream of the workspace as a dropped connection would; how many it ended. */
  dropStreams(): Promise<number>;
}

/** One person's browser: a page of the site, with the widget on it. */
export interface Visitor {
  context: BrowserContext;
  page: Page;
  site: SitePage;
  widget: ChatWidget;
}

export type { Embed, Proof } from './support/site-knobs.js';

interface WorkspaceOptions {
  /** The workspace's id mode: where the widget keeps the visitor id. */
  idMode: IdMode;
  /** Whether anonymous messages join the customer's conversation on tag. */
  anonymousMessages: AnonymousMessages;
  /** Whether the workspace requires tag to carry proof made with its secret. */
  identityVerification: IdentityVerification;
  /** The origins whose pages may use the workspace ("*": any). */
  allowedOrigins: string[];
  /** What the workspace starts with: customers and their history. (An object, not a bare
   * array: Playwright would read a two-element array option as a [value, options] tuple.) */
  seed: { customers: SeedCustomer[] };
}

interface Options {
  /** `proxy`: the widget loads through the site's first-party path; `direct`: cross-origin. */
  embed: Embed;
  /** The proof the fixture site attaches when it tags its signed-in user. */
  proof: Proof;
  /** Whether the site sends `Cache-Control: no-store` or forgets it (the back/forward cache may then keep its pages). */
  siteCache: SiteCache;
  /** The site's Content-Security-Policy. */
  siteCsp: SiteCsp;
}

interface VendorFixtures {
  workspace: TestWorkspace;
  /** Anna Agent of the test's workspace, on the agent API. */
  agent: AgentClient;
  /** Another workspace on the same server, for specs that need two; settled as `workspace` is. */
  newWorkspace: (spec: WorkspaceSpec) => ReturnType<AdminClient['createWorkspace']>;
  /** Writes the test's coverage of an instrumented widget when CV_COVERAGE_DIR is set. */
  widgetCoverage: void;
}

interface TestFixtures {
  site: SitePage;
  widget: ChatWidget;
  /** Another browser (a fresh profile, as another device would be) on the same workspace. */
  newVisitor: (options?: { storageState?: Awaited<ReturnType<BrowserContext['storageState']>> }) => Promise<Visitor>;
  /** Another tab in an existing browser context, opened by the user (not by the page). */
  newTab: (context: BrowserContext) => Promise<Visitor>;
  /** Set up first: the fixture site's specs are not applicable to another site (SITE). */
  fixtureSiteOnly: void;
}

interface WorkerFixtures {
  mockApi: APIRequestContext;
  admin: AdminClient;
}

/** Makes a browser context's pages embed the given workspace (the other knobs as given, or the site's defaults). */
export async function embedWorkspace(
  context: BrowserContext,
  workspaceId: string,
  embed: Embed,
  proof: Proof = 'jwt',
  more: Partial<Pick<SiteKnobs, 'cache' | 'csp'>> = {},
): Promise<void> {
  await setSiteKnobs(context, { workspaceId, embed, proof, ...more });
}

/**
 * After a test: a passing test's workspace is deleted (keeping the store small over long and
 * repeated runs); a failing test's is kept on the server, and what it stored goes into the
 * report beside the trace, as `fileName` in the test's output folder.
 */
async function settleWorkspace(admin: AdminClient, id: string, testInfo: TestInfo, fileName: string): Promise<void> {
  if (testInfo.status === testInfo.expectedStatus) {
    await admin.deleteWorkspace(id);
    return;
  }
  const stored = await admin.workspace(id).catch((err: Error) => ({ unreadable: err.message }));
  const path = testInfo.outputPath(fileName);
  await writeFile(path, JSON.stringify(stored, null, 2));
  await testInfo.attach(`workspace ${id}`, { path, contentType: 'application/json' });
}

export function visitorOn(context: BrowserContext, page: Page): Visitor {
  return { context, page, site: new SitePage(page), widget: new ChatWidget(page) };
}

/**
 * What every test needs of the vendor, whatever site it runs on: its own workspace on the
 * shared mock server (settings as fixture options) and the agent API. The fixture site's
 * specs (`test`, below) and the site-level specs (tests/site-fixtures.ts) both build on it.
 */
export const vendorTest = base.extend<WorkspaceOptions & VendorFixtures, WorkerFixtures>({
  idMode: ['session', { option: true }],
  anonymousMessages: ['merge', { option: true }],
  identityVerification: ['off', { option: true }],
  allowedOrigins: [['*'], { option: true }],
  seed: [{ customers: [] }, { option: true }],

  // Per-test coverage of an instrumented widget build, for the mutation score (off by default).
  widgetCoverage: [async ({}, use, testInfo) => recordTestCoverage(testInfo, use), { auto: true }],
  context: async ({ context }, use) => {
    await hearWidgetCoverage(context);
    await use(context);
  },

  mockApi: [
    async ({ playwright }, use) => {
      // One connection per request: a reused keep-alive socket that the server closes at the
      // same instant fails with ECONNRESET, which a test must never see.
      const request = await playwright.request.newContext({ baseURL: MOCK_URL, extraHTTPHeaders: { Connection: 'close' } });
      await use(request);
      await request.dispose();
    },
    { scope: 'worker' },
  ],

  admin: [
    async ({ mockApi }, use) => {
      const admin = new AdminClient(mockApi);
      // A reused server from another run may serve another widget: refuse to test the wrong one.
      const { widget } = await admin.health();
      const wanted = !WIDGET_UNDER_TEST
        ? REFERENCE_WIDGET
        : /^https?:/.test(WIDGET_UNDER_TEST)
          ? WIDGET_UNDER_TEST
          : resolve(WIDGET_UNDER_TEST);
      if (widget !== wanted) {
        throw new Error(
          `the mock server at ${MOCK_URL} serves ${widget}, but this run tests ${wanted}: stop the server left from another run`,
        );
      }
      await use(admin);
    },
    { scope: 'worker' },
  ],

  workspace: async ({ admin, idMode, anonymousMessages, identityVerification, allowedOrigins, seed }, use, testInfo) => {
    const created = await admin.createWorkspace({
      name: testInfo.titlePath.join(' › ').slice(0, 200),
      settings: { idMode, anonymousMessages, identityVerification, allowedOrigins },
      identitySecret: IDENTITY_SECRET,
      agents: SITE_AGENTS,
      customers: seed.customers,
    });
    await use({
      id: created.id,
      agents: created.agents,
      data: () => admin.workspace(created.id),
      updateSettings: (settings) => admin.updateSettings(created.id, settings),
      openStreams: () => admin.openStreams(created.id),
      dropStreams: () => admin.dropStreams(created.id),
    });
    await settleWorkspace(admin, created.id, testInfo, 'workspace.json');
  },

  agent: async ({ mockApi, workspace }, use) => {
    await use(new AgentClient(mockApi, workspace.id, workspace.agents[0]!));
  },

  newWorkspace: async ({ admin }, use, testInfo) => {
    const ids: string[] = [];
    await use(async (spec) => {
      const created = await admin.createWorkspace(spec);
      ids.push(created.id);
      return created;
    });
    for (const id of ids) await settleWorkspace(admin, id, testInfo, `workspace-${id}.json`);
  },
});

/** The fixture site's specs: the site's pages embed the test's workspace, with the site's knobs as options. */
export const test = vendorTest.extend<Options & TestFixtures>({
  fixtureSiteOnly: [
    async ({}, use) => {
      const site = process.env.SITE || 'fixture';
      if (site !== 'fixture') {
        const reason = `needs the fixture site's own integration and knobs (SITE=fixture); SITE=${site} runs the site-level clauses (C25)`;
        test.info().annotations.push({ type: 'not-applicable', description: reason });
        test.skip(true, `not applicable: ${reason}`);
      }
      await use();
    },
    { auto: true },
  ],
  embed: ['proxy', { option: true }],
  proof: ['jwt', { option: true }],
  siteCache: ['no-store', { option: true }],
  siteCsp: ['none', { option: true }],
  context: async ({ context, workspace, embed, proof, siteCache, siteCsp }, use) => {
    await embedWorkspace(context, workspace.id, embed, proof, { cache: siteCache, csp: siteCsp });
    await use(context);
  },

  site: async ({ page }, use) => {
    await use(new SitePage(page));
  },

  widget: async ({ page }, use) => {
    await use(new ChatWidget(page));
  },

  newVisitor: async ({ browser, workspace, embed, proof, siteCache, siteCsp }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (options = {}) => {
      const context = await browser.newContext({ baseURL: SITE_URL, ...options });
      contexts.push(context);
      await hearWidgetCoverage(context);
      await embedWorkspace(context, workspace.id, embed, proof, { cache: siteCache, csp: siteCsp });
      return visitorOn(context, await context.newPage());
    });
    await Promise.all(contexts.map((c) => c.close()));
  },

  newTab: async ({}, use) => {
    await use(async (context) => visitorOn(context, await context.newPage()));
  },
});

/**
 * Marks the running test "not applicable" and skips it when the widget does not offer an
 * optional feature of the contract; the conformance report counts it so, not as a failure.
 */
export function notApplicableUnless(offered: boolean, feature: string): void {
  if (!offered)
    test.info().annotations.push({ type: 'not-applicable', description: `the widget does not offer the optional feature "${feature}"` });
  test.skip(!offered, `not applicable: the widget does not offer "${feature}"`);
}

export { expect };
