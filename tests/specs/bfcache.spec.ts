/**
 * C11 — The back/forward cache. The site here plays one that forgot `Cache-Control: no-store`,
 * so the browser may keep its pages in that cache and restore them on Back, scripts and screen
 * as they were. After a logout, the restored page must not show the previous customer's
 * messages, not even at the moment of the restore (the screen recorder captures the screen
 * before any script of the page runs); without one, it must show the conversation as it is
 * now, and go on working.
 */
import type { BrowserContext } from '@playwright/test';
import type { ChatWidget } from '../pages/chat-widget.js';
import type { SitePage } from '../pages/site-page.js';
import { ScreenRecorder } from '../support/screen-recorder.js';
import { expect, test } from '../fixtures.js';
import { JANE, customersWhoWrote } from '../support/people.js';

// Chromium's headless shell keeps no page in the back/forward cache (a Back there loads the page
// again: pageshow never has persisted=true), so these clauses run on full Chromium, headless too.
test.use({ chromiumBuild: 'full' });

/**
 * Jane signs in, sees her chat, and follows the link home: the account page goes into the
 * back/forward cache with her chat on screen. The recorder is installed first, to see the restore.
 */
async function leaveJanesChatInTheCache({ context, site, widget }: { context: BrowserContext; site: SitePage; widget: ChatWidget }) {
  const recorder = await ScreenRecorder.install(context);
  await site.login(JANE);
  await widget.open();
  await expect(widget.messages).toHaveText(['Jane private note']);
  await site.gotoHomeByLink();
  return recorder;
}

test.describe('C11 back/forward cache', () => {
  test.use({ siteCache: 'bfcache', seed: customersWhoWrote({ [JANE]: ['Jane private note'] }) });

  test("[C11.1] Back to the account page after logout shows none of the previous customer's messages, and chats as the new visitor", async ({
    context,
    page,
    site,
    widget,
    agent,
  }) => {
    const recorder = await leaveJanesChatInTheCache({ context, site, widget });
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

    // The restored page chats as the visitor the logout made, not as Jane's revoked one.
    await widget.sendAndWait('Asked after the logout');
    await expect(widget.messages).toHaveText(['Asked after the logout']);
    expect((await agent.conversationOf(JANE)).messages.map((m) => m.text)).toEqual(['Jane private note']);
  });

  test('[C11.2] Back to a page restored from the cache, with no logout, shows the conversation as it is now and keeps working', async ({
    context,
    page,
    site,
    widget,
    agent,
  }) => {
    const recorder = await leaveJanesChatInTheCache({ context, site, widget });
    const janes = await agent.conversationOf(JANE);
    await agent.reply(janes.id, 'Answered while you were away');

    const mark = await recorder.mark(page);
    await site.goBack();
    await expect(page).toHaveURL(/\/account$/);
    expect(await recorder.restoresSince(page, mark), 'the account page came back from the back/forward cache').toBeGreaterThan(0);
    await widget.open();
    await expect(widget.messages, 'the reply that came while the page was in the cache').toHaveText([
      'Jane private note',
      'Answered while you were away',
    ]);

    await agent.reply(janes.id, 'And one after the restore');
    await expect(widget.messages.last(), 'live replies reach the restored page').toHaveText('And one after the restore');
    await widget.sendAndWait('Thanks, back again');
    expect((await agent.conversationOf(JANE)).messages.map((m) => m.text)).toEqual([
      'Jane private note',
      'Answered while you were away',
      'And one after the restore',
      'Thanks, back again',
    ]);
  });
});
