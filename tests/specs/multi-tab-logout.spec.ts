/**
 * C10 — Logout is for the whole browser: a reset in one tab empties the chat in every other
 * open tab of that workspace in the same browser profile, at once and without a reload, in
 * both id modes.
 */
import type { BrowserContext } from '@playwright/test';
import { expect, test, type Visitor } from '../fixtures.js';
import { storedHistory, visitorOf } from '../support/admin-client.js';
import { holdRevocations } from '../support/held-requests.js';
import { ScreenRecorder } from '../support/screen-recorder.js';
import { JANE, JOHN, customersWhoWrote } from '../support/people.js';

test.describe('C10 logout in every tab', () => {
  test.use({ seed: customersWhoWrote({ [JOHN]: ['John in every tab'] }) });

  /** John signed in in the first tab and in a second one; the second's visitor id. */
  async function twoSignedInTabs(
    first: Visitor & { newTab: (context: BrowserContext) => Promise<Visitor> },
  ): Promise<{ second: Visitor; johnsVisitor: string }> {
    await first.site.login(JOHN);
    await first.widget.open();
    await expect(first.widget.messages).toHaveText(['John in every tab']);
    const second = await first.newTab(first.context);
    await second.site.gotoAccount();
    await second.widget.open();
    await expect(second.widget.messages).toHaveText(['John in every tab']);
    return { second, johnsVisitor: await second.widget.visitorId() };
  }

  /**
   * The first tab is on the site, anonymous, and made the visitor; John then signs in in a tab
   * the user opens, which (local ids) takes up that visitor. The second tab and the visitor's id.
   */
  async function signedInAfterTheFirstTab(
    first: Omit<Visitor, 'page'> & { newTab: (context: BrowserContext) => Promise<Visitor> },
  ): Promise<{ second: Visitor; shared: string }> {
    await first.site.gotoHome();
    await first.widget.open();
    const shared = await first.widget.visitorId();
    const second = await first.newTab(first.context);
    await second.site.login(JOHN);
    await second.widget.open();
    await expect(second.widget.messages).toHaveText(['John in every tab']);
    expect(await second.widget.visitorId(), 'local ids: one visitor for the tabs').toBe(shared);
    return { second, shared };
  }

  test('[C10.1] in session mode, logging out in one tab empties every other tab at once, each with a new anonymous visitor', async ({
    context,
    page,
    site,
    widget,
    newTab,
    workspace,
  }) => {
    const { second, johnsVisitor: secondOldId } = await twoSignedInTabs({ context, page, site, widget, newTab });

    await site.logout();
    await expect(second.widget.messages).toHaveCount(0);
    await expect.poll(() => second.widget.visitorId()).not.toBe(secondOldId);
    expect(await second.page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
    const stored = await workspace.data();
    expect(visitorOf(stored, secondOldId)?.revokedAt).toBeTruthy();
  });

  test.describe('in local mode', () => {
    test.use({ idMode: 'local' });

    test('[C10.2] logging out in one tab empties every other tab at once; the tabs share the new visitor', async ({
      context,
      page,
      site,
      widget,
      newTab,
    }) => {
      const { second, johnsVisitor: oldId } = await twoSignedInTabs({ context, page, site, widget, newTab });

      await site.logout();
      await expect(second.widget.messages).toHaveCount(0);
      await expect.poll(() => second.widget.visitorId()).not.toBe(oldId);
      expect(await second.widget.visitorId()).toBe(await widget.visitorId());
    });

    test('[C10.5] after a logout without a page load (a single-page app), the tabs go on as one visitor: what is sent in one appears in the other', async ({
      context,
      page,
      site,
      widget,
      newTab,
      workspace,
    }) => {
      const { second } = await twoSignedInTabs({ context, page, site, widget, newTab });

      await site.endSession();
      expect(await widget.reset()).toEqual({ ok: true });
      await expect(second.widget.messages).toHaveCount(0);
      await second.widget.sendAndWait('Sent from the second tab after the logout');
      await expect(widget.messages, 'the first tab shows it live: one visitor').toHaveText(['Sent from the second tab after the logout']);
      await widget.sendAndWait('And an answer from the first');
      await expect(second.widget.messages).toHaveText(['Sent from the second tab after the logout', 'And an answer from the first']);
      expect(storedHistory(await workspace.data(), JOHN).map((m) => m.text)).toEqual(['John in every tab']);
    });

    test('[C10.7] a tab open since before the sign-in in another tab, never reloaded, is not the customer after the logout there', async ({
      context,
      site,
      widget,
      newTab,
      workspace,
    }) => {
      const recorder = await ScreenRecorder.install(context);
      // The first tab made the visitor that the tabs share; the user signs in and out in another.
      const { second, shared } = await signedInAfterTheFirstTab({ context, site, widget, newTab });
      const mark = await recorder.mark(site.page);

      // A logout that ends the site's session first and then resets the chat, its revocation held
      // in the network: the first tab writes while John's visitor is still valid on the server.
      await second.site.endSession();
      const revocations = await holdRevocations(second.page);
      const loggedOut = second.widget.reset();
      await expect.poll(() => revocations.held(), { message: "the reset asks the server to revoke John's visitor" }).toBe(1);
      await expect(widget.messages, 'the first tab is emptied at once').toHaveCount(0);
      await widget.sendAndWait('Typed in the first tab during the logout');
      expect(await widget.visitorId(), 'a new anonymous visitor').not.toBe(shared);
      expect(
        storedHistory(await workspace.data(), JOHN).map((m) => m.text),
        'nothing of it went to John',
      ).toEqual(['John in every tab']);

      revocations.release();
      expect(await loggedOut).toEqual({ ok: true });
      expect(await recorder.shownSince(site.page, mark), 'nothing of John in the first tab').not.toContainEqual(
        expect.stringContaining('John in every tab'),
      );
      await expect
        .poll(() => widget.visitorId(), 'once the logout is done, the tabs share its new visitor (C10.2)')
        .toBe(await second.widget.visitorId());
    });

    test('[C10.7] a logout in a tab open since before the sign-in in another tab logs the customer out there too', async ({
      context,
      site,
      widget,
      newTab,
      workspace,
    }) => {
      const recorder = await ScreenRecorder.install(context);
      // The first tab made the visitor that the tabs share and has done nothing with it since; a
      // single-page app that has heard of the sign-in in the other tab logs out here.
      const { second, shared } = await signedInAfterTheFirstTab({ context, site, widget, newTab });
      const mark = await recorder.mark(second.page);

      expect(await widget.reset()).toEqual({ ok: true });
      await expect(second.widget.messages, 'the signed-in tab is emptied').toHaveCount(0);
      await expect.poll(() => second.widget.visitorId(), 'the signed-in tab is not John any more').not.toBe(shared);
      await second.widget.sendAndWait('Typed in the other tab after the logout');
      expect(
        storedHistory(await workspace.data(), JOHN).map((m) => m.text),
        'nothing of it went to John',
      ).toEqual(['John in every tab']);
      expect(await recorder.shownSince(second.page, mark), 'nothing of John after the logout').not.toContainEqual(
        expect.stringContaining('John in every tab'),
      );
      await expect.poll(async () => visitorOf(await workspace.data(), shared)?.revokedAt, "John's visitor is revoked").toBeTruthy();
    });

    test.describe('a switch of customer', () => {
      test.use({ seed: customersWhoWrote({ [JOHN]: ['John in every tab'], [JANE]: ['Jane in every tab'] }) });

      test('[C10.8] a switch of customer in one tab, without a logout, takes every tab from the first customer to the second', async ({
        context,
        page,
        site,
        widget,
        newTab,
        workspace,
      }) => {
        const { second, johnsVisitor } = await twoSignedInTabs({ context, page, site, widget, newTab });

        expect(await second.widget.tag({ email: JANE })).toEqual({ ok: true });
        await expect(second.widget.messages).toHaveText(['Jane in every tab']);
        await expect(widget.messages, "the first tab shows Jane's conversation, not John's").toHaveText(['Jane in every tab']);
        expect(await widget.visitorId(), 'local ids: the tabs share the new visitor').toBe(await second.widget.visitorId());
        expect(await widget.visitorId()).not.toBe(johnsVisitor);
        await widget.sendAndWait('Typed in the first tab after the switch');
        await expect(second.widget.messages).toHaveText(['Jane in every tab', 'Typed in the first tab after the switch']);
        const stored = await workspace.data();
        expect(
          storedHistory(stored, JOHN).map((m) => m.text),
          'nothing of it went to John',
        ).toEqual(['John in every tab']);
        expect(storedHistory(stored, JANE).map((m) => m.text)).toEqual(['Jane in every tab', 'Typed in the first tab after the switch']);
      });
    });
  });

  test('[C10.6] in session mode, a tab that was on another site during the logout comes back without the customer', async ({
    context,
    page,
    site,
    widget,
    newTab,
    workspace,
  }) => {
    const recorder = await ScreenRecorder.install(context);
    const { second, johnsVisitor } = await twoSignedInTabs({ context, page, site, widget, newTab });

    // The second tab is elsewhere while the user logs out in the first, and then comes back.
    await second.site.gotoAnotherSite();
    await site.logout();
    const mark = await recorder.mark(second.page);
    await second.site.goBack();
    await second.widget.open();
    await expect.poll(() => second.widget.visitorId(), 'a visitor that is not John any more').not.toBe(johnsVisitor);
    await expect(second.widget.messages).toHaveCount(0);
    await second.widget.sendAndWait('Back from elsewhere');
    expect(
      storedHistory(await workspace.data(), JOHN).map((m) => m.text),
      'nothing of it went to John',
    ).toEqual(['John in every tab']);
    expect(await recorder.shownSince(second.page, mark), 'nothing of John after coming back').not.toContainEqual(
      expect.stringContaining('John in every tab'),
    );
    await expect
      .poll(async () => visitorOf(await workspace.data(), johnsVisitor)?.revokedAt, "John's visitor in that tab is revoked")
      .toBeTruthy();
  });

  for (const idMode of ['session', 'local'] as const) {
    test.describe(`in ${idMode} mode`, () => {
      test.use({ idMode });

      test(`[C10.4] a logout that leaves its page as soon as it has called reset() still empties every other tab, and nothing sent there afterwards goes to the customer (${idMode} ids)`, async ({
        context,
        page,
        site,
        widget,
        newTab,
        workspace,
      }) => {
        const { second, johnsVisitor } = await twoSignedInTabs({ context, page, site, widget, newTab });

        // The first tab's logout calls reset() and leaves at once; its revocation is held in the
        // network until that page is gone, so it never tells the other tabs the reset is done.
        await site.endSession();
        const revocations = await holdRevocations(page);
        await widget.resetAndLeave('/help');
        await expect(second.widget.messages, 'the other tab is emptied').toHaveCount(0);
        await page.waitForLoadState();
        revocations.release();

        await second.widget.sendAndWait('Typed in the other tab after the logout');
        await expect(second.widget.messages).toHaveText(['Typed in the other tab after the logout']);
        expect(await second.widget.visitorId(), 'a new anonymous visitor').not.toBe(johnsVisitor);
        const stored = await workspace.data();
        expect(
          storedHistory(stored, JOHN).map((m) => m.text),
          'nothing of it went to John',
        ).toEqual(['John in every tab']);
        await expect.poll(async () => visitorOf(await workspace.data(), johnsVisitor)?.revokedAt).toBeTruthy();
      });

      test(`[C10.3] a tab reloaded while a logout in another tab is still under way comes back without the customer (${idMode} ids)`, async ({
        context,
        page,
        site,
        widget,
        newTab,
      }) => {
        const recorder = await ScreenRecorder.install(context);
        const { second, johnsVisitor } = await twoSignedInTabs({ context, page, site, widget, newTab });

        // A logout that ends the site's session first and then resets the chat (as a single-page
        // app does), with the revocation held in the network: the other tab has heard that a
        // reset began, and nothing more, when the user reloads it.
        await site.endSession();
        const revocations = await holdRevocations(page);
        const loggedOut = widget.reset();
        await expect.poll(() => revocations.held(), { message: "the reset asks the server to revoke John's visitor" }).toBe(1);
        await expect(second.widget.messages, 'the other tab is emptied at once').toHaveCount(0);

        const mark = await recorder.mark(second.page);
        await second.page.reload();
        await second.widget.open();
        expect(await second.widget.visitorId(), 'the reloaded tab is not John any more').not.toBe(johnsVisitor);
        await expect(second.widget.messages).toHaveCount(0);

        revocations.release();
        expect(await loggedOut).toEqual({ ok: true });
        await expect(second.widget.messages).toHaveCount(0);
        expect(await recorder.shownSince(second.page, mark), 'nothing of John after the reload').not.toContainEqual(
          expect.stringContaining('John in every tab'),
        );
        if (idMode === 'local') {
          await expect
            .poll(() => second.widget.visitorId(), 'local ids: the tabs share the new visitor (C10.2)')
            .toBe(await widget.visitorId());
        }
      });
    });
  }
});
