/**
 * C9 — Tabs and windows. A tab the page opens itself (window.open, or a target=_blank link
 * that keeps its opener) starts with a copy of the opener's sessionStorage, as the HTML
 * standard says. The widget keeps that copied id: the new tab continues the same visitor
 * and conversation, live in both tabs, until one of them resets; from then on each tab is
 * its own visitor. A tab opened without an opener, or by the user, starts afresh.
 */
import { expect, test, visitorOn, type Visitor } from '../fixtures.js';
import { storedHistory, visitorOf } from '../support/admin-client.js';
import { JANE, JOHN, customersWhoWrote } from '../support/people.js';
import { ScreenRecorder } from '../support/screen-recorder.js';

test.describe('C9 tabs and windows', () => {
  test('[C9.1] a tab opened with window.open continues the same visitor and conversation, live in both tabs', async ({
    context,
    site,
    widget,
  }) => {
    await site.gotoHome();
    await widget.sendAndWait('Sent from the first tab');
    const id = await widget.visitorId();

    const opened = visitorOn(context, await site.openWindow('/help'));
    await opened.widget.open();
    expect(await opened.widget.visitorId()).toBe(id);
    await expect(opened.widget.messages).toHaveText(['Sent from the first tab']);

    await opened.widget.sendAndWait('Sent from the opened tab');
    await expect(widget.messages).toHaveText(['Sent from the first tab', 'Sent from the opened tab']);
  });

  test('[C9.2] a target=_blank link keeps the visitor only when it keeps the opener', async ({ context, site, widget }) => {
    await site.gotoHome();
    await widget.sendAndWait('Before following links');
    const id = await widget.visitorId();

    const withOpener = visitorOn(context, await site.openLinkInNewTab('Help centre'));
    await withOpener.widget.open();
    expect(await withOpener.widget.visitorId()).toBe(id);
    await expect(withOpener.widget.messages).toHaveText(['Before following links']);

    const withoutOpener = visitorOn(context, await site.openLinkInNewTab('Returns policy'));
    await withoutOpener.widget.open();
    expect(await withoutOpener.widget.visitorId()).not.toBe(id);
    await expect(withoutOpener.widget.messages).toHaveCount(0);
  });

  test('[C9.3] once a reset makes the two tabs diverge, each is its own visitor', async ({ context, site, widget }) => {
    await site.gotoHome();
    await widget.sendAndWait('Shared at first');
    const opened = visitorOn(context, await site.openWindow('/help'));
    await opened.widget.open();
    await expect(opened.widget.messages).toHaveText(['Shared at first']);

    expect(await opened.widget.reset()).toEqual({ ok: true });
    await expect(widget.messages).toHaveCount(0);
    const [first, second] = [await widget.visitorId(), await opened.widget.visitorId()];
    expect(first).not.toBe(second);

    await opened.widget.sendAndWait('Only in the opened tab');
    await widget.sendAndWait('Only in the first tab');
    await expect(opened.widget.messages).toHaveText(['Only in the opened tab']);
    await expect(widget.messages).toHaveText(['Only in the first tab']);
  });

  test('[C9.4] closing every tab and opening the site again gives a new id and an empty chat', async ({
    context,
    page,
    site,
    widget,
    newTab,
  }) => {
    await site.gotoHome();
    await widget.sendAndWait('Before closing the tab');
    const id = await widget.visitorId();
    await page.close();

    const again = await newTab(context);
    await again.site.gotoHome();
    await again.widget.open();
    expect(await again.widget.visitorId()).not.toBe(id);
    await expect(again.widget.messages).toHaveCount(0);
  });

  test.describe('C9.6 a tab that shares its visitor with the tab it opened', () => {
    test.use({ seed: customersWhoWrote({ [JOHN]: ['John in the opened tab'] }) });

    /** The logout, in one tab or the other, after John signed in in the opened one. */
    const logouts: Record<string, (first: Visitor, opened: Visitor) => Promise<void>> = {
      'the opened tab logs out': async (_first, opened) => opened.site.logout(),
      // A single-page app that has heard of the sign-in logs out in the first tab without a page load.
      'the first tab logs out': async (first) => {
        expect(await first.widget.reset()).toEqual({ ok: true });
      },
    };

    for (const [where, logout] of Object.entries(logouts)) {
      test(`[C9.6] the customer signs in in a tab opened with window.open and ${where}: the first tab is not the customer`, async ({
        context,
        page,
        site,
        widget,
        workspace,
      }) => {
        const recorder = await ScreenRecorder.install(context);
        // The first tab has done nothing yet when it opens the second, which keeps its visitor;
        // John signs in there, so the visitor both tabs keep is now his.
        await site.gotoHome();
        await widget.open();
        const shared = await widget.visitorId();
        const opened = visitorOn(context, await site.openWindow('/help'));
        await opened.widget.open();
        expect(await opened.widget.visitorId(), 'window.open keeps the visitor (C9.1)').toBe(shared);
        await opened.site.login(JOHN);
        await opened.widget.open();
        await expect(opened.widget.messages).toHaveText(['John in the opened tab']);
        expect(await opened.widget.visitorId()).toBe(shared);
        const mark = await recorder.mark(page);

        await logout({ context, page, site, widget }, opened);
        await widget.sendAndWait('Typed in the first tab after the logout');
        await expect(widget.messages).toHaveText(['Typed in the first tab after the logout']);
        expect(await widget.visitorId(), 'a new visitor in the first tab').not.toBe(shared);
        expect(
          storedHistory(await workspace.data(), JOHN).map((m) => m.text),
          'nothing of it went to John',
        ).toEqual(['John in the opened tab']);
        expect(await recorder.shownSince(page, mark), 'nothing of John in the first tab').not.toContainEqual(
          expect.stringContaining('John in the opened tab'),
        );
        await expect.poll(async () => visitorOf(await workspace.data(), shared)?.revokedAt, "John's visitor is revoked").toBeTruthy();
      });
    }
  });

  test.describe('C9.7 a switch of customer in a tab that shares the visitor', () => {
    test.use({ seed: customersWhoWrote({ [JOHN]: ['John before the switch'], [JANE]: ['Jane after the switch'] }) });

    test('[C9.7] a switch of customer in a tab opened with window.open empties the tab that opened it, which goes on as a new anonymous visitor', async ({
      context,
      site,
      widget,
      workspace,
    }) => {
      await site.login(JOHN);
      await widget.open();
      await expect(widget.messages).toHaveText(['John before the switch']);
      const johns = await widget.visitorId();
      const opened = visitorOn(context, await site.openWindow('/account'));
      await opened.widget.open();
      expect(await opened.widget.visitorId(), 'window.open keeps the visitor (C9.1)').toBe(johns);

      // Another customer signs in in the opened tab without a logout: John's visitor is revoked.
      expect(await opened.widget.tag({ email: JANE })).toEqual({ ok: true });
      await expect(opened.widget.messages).toHaveText(['Jane after the switch']);
      await expect(widget.messages, "nothing of John's stays in the first tab").toHaveCount(0);
      await expect.poll(() => widget.visitorId(), 'a new visitor in the first tab').not.toBe(johns);
      expect(await widget.visitorId()).not.toBe(await opened.widget.visitorId());

      await widget.sendAndWait('Typed in the first tab after the switch');
      await expect(widget.messages).toHaveText(['Typed in the first tab after the switch']);
      const stored = await workspace.data();
      expect(
        storedHistory(stored, JOHN).map((m) => m.text),
        'nothing of it went to John',
      ).toEqual(['John before the switch']);
      expect(
        storedHistory(stored, JANE).map((m) => m.text),
        'nor to Jane',
      ).toEqual(['Jane after the switch']);
    });
  });

  test.describe('in local mode', () => {
    test.use({ idMode: 'local' });

    test('[C9.5] closing every tab and opening the site again keeps the id and the conversation', async ({
      context,
      page,
      site,
      widget,
      newTab,
    }) => {
      await site.gotoHome();
      await widget.sendAndWait('Kept after closing');
      const id = await widget.visitorId();
      await page.close();

      const again = await newTab(context);
      await again.site.gotoHome();
      await again.widget.open();
      expect(await again.widget.visitorId()).toBe(id);
      await expect(again.widget.messages).toHaveText(['Kept after closing']);
    });
  });
});
