/**
 * C13 — Order and races: calls made in the same tick end in the state of the last call;
 * reset inside the CVLoaded hook does not loop; nothing is added to the browser's history;
 * reset is idempotent.
 */
import type { Page } from '@playwright/test';
import { ScreenRecorder } from '../support/screen-recorder.js';
import { expect, test } from '../fixtures.js';
import { deferred } from '../support/deferred.js';
import { holdEventStreams } from '../support/held-requests.js';
import { customerOf, visitorOf } from '../support/admin-client.js';
import { JOHN, MAX, customersWhoWrote } from '../support/people.js';

type CVPage = { CV: { user: { tag(u: unknown): Promise<void>; reset(): Promise<void> } } };

/** Makes the calls in one tick in the page and returns at once; the result says how they settled. */
async function startInOneTick(page: Page, calls: ('reset' | string)[]): Promise<() => Promise<string[]>> {
  await page.evaluate((calls) => {
    const w = window as unknown as CVPage & { __cvCalls?: Promise<PromiseSettledResult<void>[]> };
    w.__cvCalls = Promise.allSettled(calls.map((c) => (c === 'reset' ? w.CV.user.reset() : w.CV.user.tag({ email: c }))));
  }, calls);
  return () =>
    page.evaluate(async () => {
      const w = window as unknown as { __cvCalls: Promise<PromiseSettledResult<void>[]> };
      return (await w.__cvCalls).map((r) => r.status);
    });
}

/** Runs calls in one tick in the page; resolves when all have settled. */
const inOneTick = async (page: Page, calls: ('reset' | string)[]) => (await startInOneTick(page, calls))();

test.describe('C13 order and races', () => {
  test.use({
    seed: customersWhoWrote({ [JOHN]: ['John history'], [MAX]: ['Max history'] }),
  });

  test('[C13.1] tag right after reset, in the same tick, ends tagged with the history on screen', async ({
    page,
    site,
    widget,
    workspace,
  }) => {
    await site.gotoHome();
    await widget.open();
    expect(await inOneTick(page, ['reset', JOHN])).toEqual(['fulfilled', 'fulfilled']);
    await expect(widget.messages).toHaveText(['John history']);
    const visitorId = await widget.visitorId();
    const john = customerOf(await workspace.data(), JOHN);
    expect(visitorOf(await workspace.data(), visitorId)?.customerId).toBe(john?.id);
  });

  test('[C13.2] reset right after tag, in the same tick, ends anonymous, and the history never appears', async ({
    context,
    page,
    site,
    widget,
    workspace,
  }) => {
    const recorder = await ScreenRecorder.install(context);
    await site.gotoHome();
    await widget.open();
    const mark = await recorder.mark(page);
    expect(await inOneTick(page, [JOHN, 'reset'])).toEqual(['fulfilled', 'fulfilled']);
    await widget.sendAndWait('Anonymous again');
    await expect(widget.messages).toHaveText(['Anonymous again']);
    expect(await recorder.shownSince(page, mark)).not.toContainEqual(expect.stringContaining('John history'));
    const visitorId = await widget.visitorId();
    expect(visitorOf(await workspace.data(), visitorId)?.customerId).toBeUndefined();
  });

  test("[C13.2] reset right after tag, while the page is still registering its visitor: the event stream's catch-up does not show the history either", async ({
    context,
    page,
    site,
    widget,
    workspace,
  }) => {
    // The network made to give a catch-up its worst moment: the calls are made while the first
    // visitor's registration is held, so a stream for that visitor would connect after the
    // reset was asked for. If the widget asks for that stream before the tag, the stream's
    // catch-up read is served after the tag is stored and before the tag's answer reaches the
    // page. (A widget that opens no stream for a visitor a queued reset will replace gets its
    // tag answered at once.)
    const recorder = await ScreenRecorder.install(context);
    const heldRegistration = deferred();
    const tagStored = deferred();
    const catchUpServed = deferred();
    let registrations = 0;
    let firstVisitor: string | undefined;
    let firstStreamAsked = false;
    let tagHeldForCatchUp: boolean | undefined;
    const visitorIn = (url: string) => /\/visitors\/([^/]+)\//.exec(url)?.[1];
    await page.route(/\/visitors$/, async (route) => {
      if (route.request().method() !== 'POST' || ++registrations > 1) return route.continue();
      await heldRegistration.promise;
      const response = await route.fetch();
      firstVisitor = ((await response.json()) as { visitorId: string }).visitorId;
      await route.fulfill({ response });
    });
    await page.route(/\/visitors\/[^/]+\/stream-tickets$/, async (route) => {
      if (visitorIn(route.request().url()) === firstVisitor) firstStreamAsked = true;
      await route.continue();
    });
    await page.route(/\/visitors\/[^/]+\/tag$/, async (route) => {
      const response = await route.fetch();
      tagStored.resolve();
      tagHeldForCatchUp = firstStreamAsked;
      if (tagHeldForCatchUp) await catchUpServed.promise;
      await route.fulfill({ response });
    });
    let catchUpRead = false;
    await page.route(/\/visitors\/[^/]+\/session$/, async (route) => {
      if (catchUpRead || visitorIn(route.request().url()) !== firstVisitor) return route.continue();
      catchUpRead = true;
      await tagStored.promise;
      const response = await route.fetch();
      await route.fulfill({ response });
      catchUpServed.resolve();
    });

    await site.gotoHome();
    await expect.poll(() => registrations, { message: 'the registration is held' }).toBe(1);
    const mark = await recorder.mark(page);
    const settled = await startInOneTick(page, [JOHN, 'reset']);
    heldRegistration.resolve();

    await expect.poll(() => tagHeldForCatchUp, { message: 'the tag reached the server' }).not.toBeUndefined();
    if (tagHeldForCatchUp) {
      await expect
        .poll(() => catchUpRead, {
          message: 'a widget reads the session once its stream connects (PROTOCOL.md): the read this test orders',
        })
        .toBe(true);
    }
    expect(await settled()).toEqual(['fulfilled', 'fulfilled']);
    await widget.sendAndWait('Anonymous again');
    await expect(widget.messages).toHaveText(['Anonymous again']);
    expect(await recorder.shownSince(page, mark)).not.toContainEqual(expect.stringContaining('John history'));
    expect(visitorOf(await workspace.data(), await widget.visitorId())?.customerId).toBeUndefined();
  });

  test('[C13.3] two tags for different customers in quick succession end with the second', async ({
    context,
    page,
    site,
    widget,
    workspace,
  }) => {
    const recorder = await ScreenRecorder.install(context);
    await site.gotoHome();
    await widget.open();
    const mark = await recorder.mark(page);
    expect(await inOneTick(page, [JOHN, MAX])).toEqual(['fulfilled', 'fulfilled']);
    await expect(widget.messages).toHaveText(['Max history']);
    // The second call decides the screen: the first customer's history is never rendered.
    expect(await recorder.shownSince(page, mark)).not.toContainEqual(expect.stringContaining('John history'));
    const visitorId = await widget.visitorId();
    const stored = await workspace.data();
    const max = customerOf(stored, MAX);
    expect(visitorOf(stored, visitorId)?.customerId).toBe(max?.id);
  });

  test('[C13.4] reset inside the CVLoaded hook runs once, does not loop, and leaves the page where it was', async ({
    page,
    site,
    widget,
  }) => {
    await site.gotoHome();
    await widget.sendAndWait('Before the hook');
    const oldId = await widget.visitorId();
    const historyLength = await page.evaluate(() => history.length);

    await page.addInitScript(() => {
      const w = window as unknown as { CVLoaded: () => void; hookReset?: Promise<void>; hookRuns: number } & CVPage;
      w.hookRuns = 0;
      w.CVLoaded = () => {
        w.hookRuns += 1;
        w.hookReset = w.CV.user.reset();
      };
    });
    const calls: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && /\/visitors(\/[^/]+\/reset)?$/.test(new URL(r.url()).pathname))
        calls.push(new URL(r.url()).pathname.endsWith('/reset') ? 'reset' : 'register');
    });
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { hookReset?: Promise<void> }).hookReset !== undefined);
    await page.evaluate(() => (window as unknown as { hookReset: Promise<void> }).hookReset);
    await widget.sendAndWait('After the hook');
    await expect(widget.messages).toHaveText(['After the hook']);

    expect(await widget.visitorId()).not.toBe(oldId);
    expect(await page.evaluate(() => (window as unknown as { hookRuns: number }).hookRuns)).toBe(1);
    expect(calls).toEqual(['reset', 'register']);
    expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
    expect(await page.evaluate(() => history.length)).toBe(historyLength);
  });

  test('[C13.5] reset is idempotent: a second reset changes nothing, and tag and reset add nothing to the browser history', async ({
    page,
    site,
    widget,
  }) => {
    await site.gotoHome();
    await widget.open();
    const historyLength = await page.evaluate(() => history.length);
    expect(await widget.tag({ email: JOHN })).toEqual({ ok: true });
    await expect(widget.messages).toHaveText(['John history']);

    expect(await widget.reset()).toEqual({ ok: true });
    const afterFirst = await widget.visitorId();
    expect(await widget.reset()).toEqual({ ok: true });
    expect(await widget.visitorId()).toBe(afterFirst);
    await expect(widget.messages).toHaveCount(0);
    await widget.sendAndWait('Still working');
    expect(await page.evaluate(() => history.length)).toBe(historyLength);
    expect(page.url()).toMatch(/\/$/);
  });

  test('[C13.6] a reset right after an anonymous visitor wrote, before the live connection echoed it, gives a new visitor: what they wrote is not shown again', async ({
    page,
    site,
    widget,
    workspace,
  }) => {
    // No event stream connects: the message sent is known to the widget only by the send's answer.
    const streams = await holdEventStreams(page);
    await site.gotoHome();
    await widget.sendAndWait('Written just before the reset');
    const writer = await widget.visitorId();

    expect(await widget.reset()).toEqual({ ok: true });
    await expect(widget.messages).toHaveCount(0);
    expect(await widget.visitorId(), 'a new visitor').not.toBe(writer);
    streams.release();
    await page.reload();
    await widget.open();
    expect(await widget.visitorId(), 'the new visitor is the one kept').not.toBe(writer);
    await expect(widget.messages, 'what the previous visitor wrote is not shown again').toHaveCount(0);
    await expect.poll(async () => visitorOf(await workspace.data(), writer)?.revokedAt, 'the writer is revoked').toBeTruthy();
  });
});
