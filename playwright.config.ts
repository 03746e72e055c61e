/**
 * The identity suite. Both servers start through `webServer` (reused when already running
 * locally, always fresh in CI). The widget under test is the reference widget unless
 * CV_WIDGET names another build (a file path or a URL); the mock server serves it at the
 * vendor's CDN path, so pages embed it exactly as they would embed the vendor's.
 *
 * Browsers: BROWSERS=chromium (default) or a comma list of chromium, firefox, webkit.
 * Chromium is Playwright's own build when installed, else a system Chromium (see
 * scripts/browser.ts): a headless run uses its headless shell where there is one, a headed one
 * (--headed, --ui, --debug) full Chromium, and a spec that needs full Chromium says so with
 * `test.use({ chromiumBuild: 'full' })` (tests/support/browser-build.ts). Only Chromium has
 * been run on the project's machines.
 */
import { defineConfig, devices, type Project } from '@playwright/test';
import { chromiumLaunch, runIsHeaded } from './scripts/browser.js';
import { siteFromEnv } from './sites/registry.js';
import { IDENTITY_SECRET, MOCK_PORT, MOCK_URL, REFERENCE_WIDGET, SITE_PORT, SITE_URL, WIDGET_UNDER_TEST } from './tests/support/env.js';

const CI = Boolean(process.env.CI);
/** The site under test (SITE, default the fixture site): sites/registry.ts. */
const site = siteFromEnv();
/** The Chromium build of this run's Chromium workers (set again per worker by tests/support/browser-build.ts). */
const chromiumBuild = chromiumLaunch({ headless: !runIsHeaded() });

const projects: Record<string, Project> = {
  chromium: {
    name: 'chromium',
    use: {
      ...devices['Desktop Chrome'],
      launchOptions: {
        executablePath: chromiumBuild?.executablePath,
        channel: chromiumBuild?.channel,
        // Playwright turns the back/forward cache off; real browsers have it on, and C11 needs it.
        ignoreDefaultArgs: ['--disable-back-forward-cache'],
      },
    },
  },
  firefox: { name: 'firefox', use: { ...devices['Desktop Firefox'] } },
  webkit: { name: 'webkit', use: { ...devices['Desktop Safari'] } },
};
const wanted = (process.env.BROWSERS ?? 'chromium')
  .split(',')
  .map((b) => b.trim())
  .filter(Boolean);
for (const name of wanted) {
  if (!projects[name]) throw new Error(`BROWSERS: unknown browser "${name}" (known: ${Object.keys(projects).join(', ')})`);
}

export default defineConfig({
  testDir: './tests',
  testMatch: '**/*.spec.ts',
  fullyParallel: true,
  forbidOnly: CI,
  // A test that passes only on a retry is a failure here, not a flake to tolerate.
  retries: 0,
  failOnFlakyTests: true,
  workers: process.env.WORKERS ? Number(process.env.WORKERS) : 3,
  // A hang detector, not a speed check: under load on two cores a three-context test has taken 31 s.
  timeout: 60_000,
  // Generous for a busy 2-core machine with three browsers: a slow pass is not a failure.
  expect: { timeout: 10_000 },
  reporter: [
    ['list'],
    ...(CI
      ? ([
          ['html', { open: 'never', outputFolder: 'reports/html' }],
          ['junit', { outputFile: 'reports/junit.xml' }],
        ] as const)
      : []),
    ['./tests/reporters/conformance.ts', { outputDir: 'reports/conformance' }],
  ],
  outputDir: 'test-results',
  // The widget under test, named in the conformance report (also when shards are merged elsewhere).
  metadata: {
    chromium: chromiumBuild ? `${chromiumBuild.build}: ${chromiumBuild.description}` : 'none found',
    widget: WIDGET_UNDER_TEST || REFERENCE_WIDGET,
    site: `${site.name}: ${site.description}${site.widget === 'injected' ? ` (injected by ${process.env.INJECTION || 'init-script'})` : ''}${site.bypassCsp ? ` (its CSP bypassed: ${site.bypassCsp})` : ''}`,
  },
  use: {
    baseURL: SITE_URL,
    // A failed test keeps its trace: every step with the page's DOM as it was then. The trace's
    // screencast (a picture of every frame) is left out: it cost 12% of the suite's wall time
    // on two cores (README, Bench).
    trace: { mode: 'retain-on-failure', screenshots: false, snapshots: true, sources: true },
    screenshot: 'only-on-failure',
    actionTimeout: 10_000,
  },
  projects: wanted.map((name) => projects[name]!),
  webServer: [
    {
      // The reference widget is built first (`npm run build:widget`); another build is served as it is.
      // The store is the suite's own and emptied at every start, so its writes are not flushed to
      // disk (--no-fsync): a flush buys nothing here and, on a busy disk, took up to 100 ms a write.
      command: `${WIDGET_UNDER_TEST ? '' : 'node --import tsx widget/build.ts && '}node --import tsx mock-server/src/main.ts --port ${MOCK_PORT} --data .data/test-store-${MOCK_PORT} --reset --no-fsync --test-mode`,
      url: `${MOCK_URL}/__admin/health`,
      reuseExistingServer: !CI,
      env: { CV_WIDGET: WIDGET_UNDER_TEST },
      stdout: 'pipe',
      timeout: 60_000,
    },
    // The fixture site serves the fixture adapters; another site is started as its adapter says.
    site.server
      ? {
          command: site.server.command,
          url: site.server.url,
          env: site.server.env,
          reuseExistingServer: !CI,
          stdout: 'pipe',
          timeout: site.server.timeoutMs ?? 60_000,
        }
      : {
          command: `node --import tsx fixture-site/src/main.ts --port ${SITE_PORT} --mock ${MOCK_URL} --workspace no-workspace-chosen`,
          url: `${SITE_URL}/health`,
          reuseExistingServer: !CI,
          env: { SITE_IDENTITY_SECRET: IDENTITY_SECRET },
          stdout: 'pipe',
          timeout: 60_000,
        },
  ],
});
