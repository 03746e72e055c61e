/**
 * Requests held at the network: every matching request the page makes waits until the test
 * lets them through. This makes a window as wide and as certain as a test needs: between a
 * history's load and its stream's connection (C16.3, C26.5), or between a reset's call and its
 * revocation reaching the server (C3.8, C10.3, C10.4), or while a tab gets its new visitor
 * after a logout (C26.4). Or answers held: the server has answered, and the page gets the
 * answer only when the test says (an older page answered for a customer who is logged out
 * before it arrives, C26.4; a catch-up's read answered before a tag landed, C16.7).
 */
import type { Page } from '@playwright/test';
import { deferred } from './deferred.js';

export interface HeldRequests {
  /** How many matching requests the page has made so far. */
  held(): number;
  release(): void;
}

export interface HeldAnswers extends HeldRequests {
  /** Settles once the first held answer has been handed to the page. */
  delivered(): Promise<void>;
}

/** `answered`: the server answers each request at once, and the answer is what is held. */
async function holdRequests(page: Page, url: RegExp, answered = false): Promise<HeldAnswers> {
  const gate = deferred();
  const first = deferred();
  let held = 0;
  await page.route(url, async (route) => {
    held += 1;
    const response = answered ? await route.fetch() : undefined;
    await gate.promise;
    if (response) await route.fulfill({ response });
    else await route.continue();
    first.resolve();
  });
  return { held: () => held, release: () => gate.resolve(), delivered: () => first.promise };
}

/** The visitor's event streams. */
export function holdEventStreams(page: Page): Promise<HeldRequests> {
  return holdRequests(page, /\/visitors\/[^/]+\/events\?/);
}

/** The requests that make a new visitor (a page's first, and every start-over's after a logout). */
export function holdRegistrations(page: Page): Promise<HeldRequests> {
  return holdRequests(page, /\/visitors$/);
}

/** The requests that revoke a visitor (a reset's). A held one still reaches the server once released, even after its page is gone, if it was sent to outlive it. */
export function holdRevocations(page: Page): Promise<HeldRequests> {
  return holdRequests(page, /\/visitors\/[^/]+\/reset$/);
}

/** The answers to older pages of the visitor's history: the server answers at once; the page gets it when released. */
export function holdOlderPageAnswers(page: Page): Promise<HeldAnswers> {
  return holdRequests(page, /\/visitors\/[^/]+\/messages\?/, true);
}

/** The requests that tag the visitor (CV.user.tag's). */
export function holdTags(page: Page): Promise<HeldRequests> {
  return holdRequests(page, /\/visitors\/[^/]+\/tag$/);
}

/** The answers to reads of the visitor's session (a stream's catch-up): the server answers at once; the page gets it when released. */
export function holdSessionAnswers(page: Page): Promise<HeldAnswers> {
  return holdRequests(page, /\/visitors\/[^/]+\/session$/, true);
}
