/**
 * C11 — The back/forward cache: after logout, going Back to the account page must not show
 * the previous customer's messages, not even at the moment the page is restored. The site
 * here plays one that forgot `Cache-Control: no-store`, so the browser may keep the signed-in
 * page in that cache; the screen recorder captures everything on screen at the instant of
 * the restore, before any script of the page runs.
 */
import { ScreenRecorder } from '../support/screen-recorder.js';
import { SITE_URL } from '../support/env.js';
import { expect, test } from '../fixtures.js';
import { JANE, customersWhoWrote } from '../support/people.js';

test.describe('C11 back/forward cache', () => {
  test.use({ seed: customersWhoWrote({ [JANE]: ['Jane private note'] }) });

  test("[C11.1] Back to the account page after logout shows none of the previous customer's messages", async ({
    context,
    page,
    site,
    widget,
  }) => {
    await context.addCookies([{ name: 'site_cache', value: 'bfcache', url: SITE_URL }]);
    const recorder = await ScreenRecorder.install(context);
    await site.login(JANE);
    await widget.open();
    await expect(widget.messages).toHaveText(['Jane private note']);
    // Leave the account page with Jane's chat on screen: it goes into the cache as it is.
    await site.gotoHomeByLink();
    await site.logout();

    const mark = await recorder.mark(page);
    // Back to the signed-in home page, then back to the account page.
    await site.goBack();
    await site.goBack();
    await expect(page).toHaveURL(/\/account$/);
    expect(await recorder.restoresSince(page, mark), 'the account page came back from the back/forward cache').toBeGreaterThan(0);
    await widget.open();
    await expect(widget.messages).toHaveCount(0);
    expect(await recorder.shownSince(page, mark)).not.toContainEqual(expect.stringContaining('Jane private note'));
  });
});
