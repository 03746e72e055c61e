/**
 * Event streams held at the network: every stream the page opens waits until the test lets
 * them through, which makes the gap between a history's load and its stream's connection as
 * wide and as certain as a test needs (C16.3, C26.5).
 */
import type { Page } from '@playwright/test';
import { deferred } from './deferred.js';

export interface HeldStreams {
  /** How many streams the page has asked for so far. */
  held(): number;
  release(): void;
}

export async function holdEventStreams(page: Page): Promise<HeldStreams> {
  const gate = deferred();
  let held = 0;
  await page.route(/\/visitors\/[^/]+\/events\?/, async (route) => {
    held += 1;
    await gate.promise;
    await route.continue();
  });
  return { held: () => held, release: () => gate.resolve() };
}
