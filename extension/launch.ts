/**
 * Opens a Chromium profile with the harness's extension loaded: a persistent context (the only
 * kind that loads extensions), with both flags Chromium needs to load an unpacked extension
 * and without Playwright's own `--disable-extensions`, which would win over them.
 */
import type { BrowserContext, BrowserType } from '@playwright/test';
import { findChromium } from '../scripts/browser.js';

export interface ExtensionLaunch {
  profileDir: string;
  extensionDir: string;
  headless: boolean;
  baseURL?: string;
  bypassCSP?: boolean;
}

export function launchWithExtension(chromium: BrowserType, options: ExtensionLaunch): Promise<BrowserContext> {
  return chromium.launchPersistentContext(options.profileDir, {
    executablePath: findChromium()?.executablePath,
    headless: options.headless,
    baseURL: options.baseURL,
    bypassCSP: options.bypassCSP,
    // The back/forward cache stays on, as in the suite's other browsers (C11, C25.6).
    ignoreDefaultArgs: ['--disable-extensions', '--disable-back-forward-cache'],
    args: [`--disable-extensions-except=${options.extensionDir}`, `--load-extension=${options.extensionDir}`],
  });
}

/** The loaded extension's id, from its service worker's URL. */
export async function extensionId(context: BrowserContext): Promise<string> {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  return new URL(worker.url()).host;
}

/** The extension's view of the first tab showing `origin`: its tab id, for the panel's `?tab=`. */
export async function tabIdOf(context: BrowserContext, origin: string): Promise<number | undefined> {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  return worker.evaluate(async (o) => {
    const { chrome } = globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id: number }[]> } } };
    return (await chrome.tabs.query({ url: `${o}/*` }))[0]?.id;
  }, origin);
}
