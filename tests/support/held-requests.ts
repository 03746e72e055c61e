/**
 * Requests held at the network: every matching request the page makes waits until the test
 * lets them through. This makes a window as wide and as certain as a test needs: between a
 * history's load and its stream's connection (C16.3, C26.5), or between a reset's call and its
 * revocation reaching the server (C3.8, C10.3, C10.4).
 */
import type { Page } from '@playwright/test';
import { deferred } from './deferred.js';

export interface HeldRequests {
  /** How many matching requests the page has made so far. */
  held(): number;
  release(): void;
}

async function holdRequests(page: Page, url: RegExp): Promise<HeldRequests> {
  const gate = deferred();
  let held = 0;
  await page.route(url, async (route) => {
    held += 1;
    await gate.promise;
    await route.continue();
  });
  return { held: () => held, release: () => gate.resolve() };
}

/** The visitor's event streams. */
export function holdEventStreams(page: Page): Promise<HeldRequests> {
  return holdRequests(page, /\/visitors\/[^/]+\/events\?/);
}

/** The requests that revoke a visitor (a reset's). A held one still reaches the server once released, even after its page is gone, if it was sent to outlive it. */
export function holdRevocations(page: Page): Promise<HeldRequests> {
  return holdRequests(page, /\/visitors\/[^/]+\/reset$/);
}
