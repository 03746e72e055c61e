/**
 * Which browser build runs each test, chosen per worker and written on every test it ran.
 *
 * A headless Chromium run uses the headless shell where there is one, a headed one full
 * Chromium (scripts/browser.ts decides, playwright.config.ts sets the project's default). A
 * spec whose clauses the shell cannot hold asks for full Chromium for its own tests:
 *
 *   test.use({ chromiumBuild: 'full' })      its tests get workers of their own, on full Chromium
 *
 * Every test gets a `browser` annotation naming the build and its version; the conformance
 * report shows it per clause.
 */
import { test as base } from '@playwright/test';
import { chromiumLaunch, runIsHeaded, type ChromiumLaunch } from '../../scripts/browser.js';

export interface BrowserBuildOptions {
  /** 'full': this spec's clauses need full Chromium (a headless run otherwise uses the shell). */
  chromiumBuild: 'auto' | 'full';
}

export interface BrowserBuildWorkerFixtures extends BrowserBuildOptions {
  /** The Chromium build this worker launches, undefined for another engine. */
  chromiumChoice: ChromiumLaunch | undefined;
  /** What the `browser` annotation of this worker's tests says. */
  browserBuild: string;
}

export const BUILD_NAMES: Record<ChromiumLaunch['build'], string> = { full: 'full Chromium', 'headless-shell': 'Chromium headless shell' };

export const test = base.extend<{ noteBrowserBuild: void }, BrowserBuildWorkerFixtures>({
  chromiumBuild: ['auto', { scope: 'worker', option: true }],

  chromiumChoice: [
    async ({ browserName, chromiumBuild }, use) => {
      if (browserName !== 'chromium') return use(undefined);
      const choice = chromiumLaunch({ headless: !runIsHeaded(), build: chromiumBuild === 'full' ? 'full' : undefined });
      if (!choice) throw new Error('no Chromium to run: npm test installs one (scripts/ensure-browser.ts), or set CHROMIUM_PATH');
      await use(choice);
    },
    { scope: 'worker' },
  ],

  // The project's launch options with this worker's build: the same as the config's unless the spec asked for full Chromium.
  launchOptions: [
    async ({ launchOptions, chromiumChoice }, use) =>
      use(
        chromiumChoice
          ? { ...launchOptions, executablePath: chromiumChoice.executablePath, channel: chromiumChoice.channel }
          : launchOptions,
      ),
    { scope: 'worker' },
  ],

  browserBuild: [
    async ({ browser, browserName, chromiumChoice }, use) =>
      use(chromiumChoice ? `${BUILD_NAMES[chromiumChoice.build]} ${browser.version()}` : `${browserName} ${browser.version()}`),
    { scope: 'worker' },
  ],

  noteBrowserBuild: [
    async ({ browserBuild }, use, testInfo) => {
      testInfo.annotations.push({ type: 'browser', description: browserBuild });
      await use();
    },
    { auto: true },
  ],
});
