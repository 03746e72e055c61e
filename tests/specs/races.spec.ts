/**
 * C13 — Order and races: calls made in the same tick end in the state of the last call;
 * reset inside the CVLoaded hook does not loop; nothing is added to the browser's history;
 * reset is idempotent.
 */
import type { Page } from '@playwright/test';
import { ScreenRecorder } from '../support/screen-recorder.js';
import { expect, test } from '../fixtures.js';
import { customerOf, visitorOf } from '../support/admin-client.js';
import { JOHN, MAX, customersWhoWrote } from '../support/people.js';

type CVPage = { CV: { user: { tag(u: unknown): Promise<void>; reset(): Promise<void> } } };

/** Runs calls in one tick in the page; resolves when all have settled. */
const inOneTick = (page: Page, calls: ('reset' | string)[]) =>
  page.evaluate(async (calls) => {
    const { CV } = window as unknown as CVPage;
    const pending = calls.map((c) => (c === 'reset' ? CV.user.reset() : CV.user.tag({ email: c })));
    return (await Promise.allSettled(pending)).map((r) => r.status);
  }, calls);

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

  test('[C13.3] two tags for different customers in quick succession end with the second', async ({ page, site, widget, workspace }) => {
    await site.gotoHome();
    await widget.open();
    expect(await inOneTick(page, [JOHN, MAX])).toEqual(['fulfilled', 'fulfilled']);
    await expect(widget.messages).toHaveText(['Max history']);
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
});
