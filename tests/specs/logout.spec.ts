/**
 * C3 — Clearing on logout: `CV.user.reset()` empties the chat at once, forgets the visitor in
 * the browser, revokes it on the server, and starts a new anonymous visitor.
 */
import type { Page, Request } from '@playwright/test';
import { ScreenRecorder } from '../support/screen-recorder.js';
import { expect, test } from '../fixtures.js';
import { customerOf, storedHistory, visitorHistory, visitorOf } from '../support/admin-client.js';
import { holdRevocations, type HeldRequests } from '../support/held-requests.js';
import type { ChatWidget } from '../pages/chat-widget.js';
import type { SitePage } from '../pages/site-page.js';
import { JANE, customersWhoWrote } from '../support/people.js';

test.describe('C3 clearing on logout', () => {
  /** Jane signed in, her history on screen; the site has ended its session, and the revocation of her visitor will be held. */
  async function janeLoggingOut(
    page: Page,
    site: SitePage,
    widget: ChatWidget,
  ): Promise<{ janesVisitor: string; revocations: HeldRequests }> {
    await site.login(JANE);
    await widget.open();
    await expect(widget.messages).toHaveText(['Is my refund through?']);
    const janesVisitor = await widget.visitorId();
    await site.endSession();
    return { janesVisitor, revocations: await holdRevocations(page) };
  }

  test.use({
    seed: {
      customers: [{ email: JANE, firstname: 'Jane', lastname: 'Roe', messages: [{ from: 'customer', text: 'Is my refund through?' }] }],
    },
  });

  test('[C3.1] reset empties the panel at once', async ({ site, widget }) => {
    await site.login(JANE);
    await widget.open();
    await expect(widget.messages).toHaveText(['Is my refund through?']);

    expect(await widget.reset()).toEqual({ ok: true });
    // Read at once, without waiting: nothing of Jane may remain once reset has settled.
    // eslint-disable-next-line playwright/prefer-web-first-assertions -- deliberately not retried
    expect(await widget.messages.allTextContents()).toEqual([]);
    await expect(widget.assignedAgent).toBeHidden();
  });

  test('[C3.2] after logout the id is new and the old visitor token is refused by the server', async ({
    page,
    site,
    widget,
    mockApi,
    workspace,
  }) => {
    const authorizations: string[] = [];
    page.on('request', (request: Request) => {
      const auth = request.headers().authorization;
      if (auth) authorizations.push(auth);
    });
    await site.login(JANE);
    await widget.open();
    await expect(widget.messages).toHaveText(['Is my refund through?']);
    const oldId = await widget.visitorId();
    const oldAuthorization = authorizations.at(-1);
    expect(oldAuthorization, 'the widget proves its visitor with an Authorization header').toBeTruthy();

    await site.logout();
    await widget.open();
    const newId = await widget.visitorId();
    expect(newId).not.toBe(oldId);

    const replay = await mockApi.get(`/api/v1/workspaces/${workspace.id}/visitors/${oldId}/session`, {
      headers: { Authorization: oldAuthorization! },
    });
    expect(replay.status()).toBe(401);
    expect(await replay.text()).not.toContain('Is my refund through?');
  });

  test('[C3.3] the next message after logout belongs to a new anonymous visitor', async ({ site, widget, workspace }) => {
    await site.login(JANE);
    await widget.open();
    await expect(widget.messages).toHaveText(['Is my refund through?']);
    await site.logout();
    await widget.sendAndWait('I am someone else');
    await expect(widget.messages).toHaveText(['I am someone else']);

    const stored = await workspace.data();
    const conversation = stored.conversations.find((c) => c.messages.some((m) => m.text === 'I am someone else'))!;
    expect(conversation.customerId).toBeUndefined();
    const jane = customerOf(stored, JANE)!;
    expect(conversation.id).not.toBe(jane.conversationId);
    const writer = visitorOf(stored, conversation.visitorId)!;
    expect(writer.customerId).toBeUndefined();
    expect(writer.revokedAt).toBeUndefined();
    expect(stored.visitors.filter((v) => v.customerId === jane.id).every((v) => v.revokedAt)).toBe(true);
  });

  test('[C3.4] logging in again brings the history back', async ({ site, widget }) => {
    await site.login(JANE);
    await widget.sendAndWait('Still waiting');
    await site.logout();
    await widget.open();
    await expect(widget.messages).toHaveCount(0);
    await site.login(JANE);
    await widget.open();
    await expect(widget.messages).toHaveText(['Is my refund through?', 'Still waiting']);
  });

  test("[C3.5] from the click on Log out, none of the customer's messages is ever rendered again", async ({
    context,
    page,
    site,
    widget,
  }) => {
    const recorder = await ScreenRecorder.install(context);
    await site.login(JANE);
    await widget.open();
    await expect(widget.messages).toHaveText(['Is my refund through?']);

    const mark = await recorder.mark(page);
    await site.logout();
    await widget.sendAndWait('Someone new');
    await expect(widget.messages).toHaveText(['Someone new']);
    expect(await recorder.shownSince(page, mark)).not.toContainEqual(expect.stringContaining('Is my refund through?'));
  });

  test('[C3.7] reset leaves nothing the customer typed: an unsent draft is gone from the message box, in this tab and in the other tabs', async ({
    context,
    site,
    widget,
    newTab,
  }) => {
    await site.login(JANE);
    await widget.open();
    await expect(widget.messages).toHaveText(['Is my refund through?']);
    const other = await newTab(context);
    await other.site.gotoAccount();
    await other.widget.open();
    await widget.messageBox.fill('My card number is 4111 1111 1111 1111');
    await other.widget.messageBox.fill('Jane, half typed');

    // A single-page site logs out without loading a page: only reset() can clear the box.
    expect(await widget.reset()).toEqual({ ok: true });
    // eslint-disable-next-line playwright/prefer-web-first-assertions -- read at once: nothing of Jane once reset has settled
    expect(await widget.messageBox.inputValue()).toBe('');
    await expect(other.widget.messageBox, "the other tab's draft goes too").toHaveValue('');
    await expect(other.widget.messages).toHaveCount(0);
  });

  test("[C3.8] a logout that leaves the page as soon as it has called reset() still revokes the customer's visitor", async ({
    page,
    site,
    widget,
    workspace,
  }) => {
    const { janesVisitor, revocations } = await janeLoggingOut(page, site, widget);
    // The revocation is held in the network until the page it came from is gone.
    await widget.resetAndLeave('/help');
    await page.waitForLoadState();
    expect(revocations.held(), 'reset() asked the server to revoke before the page was left').toBe(1);
    revocations.release();

    await expect
      .poll(async () => visitorOf(await workspace.data(), janesVisitor)?.revokedAt, {
        message: "the server revokes Jane's visitor although the page that asked is gone",
      })
      .toBeTruthy();
    await widget.open();
    expect(await widget.visitorId()).not.toBe(janesVisitor);
    await expect(widget.messages).toHaveCount(0);
  });

  test('[C3.9] a message sent while the logout is still under way goes to the new anonymous visitor, never to the customer', async ({
    page,
    site,
    widget,
    workspace,
  }) => {
    // A single-page site logs out; the revocation of Jane's visitor is slow to come back, and
    // the next person at the screen writes at once.
    const { janesVisitor, revocations } = await janeLoggingOut(page, site, widget);
    const loggedOut = widget.reset();
    await expect.poll(() => revocations.held()).toBe(1);
    await widget.send('Written by whoever sits down next');
    revocations.release();
    expect(await loggedOut).toEqual({ ok: true });

    await expect(widget.messages).toHaveText(['Written by whoever sits down next']);
    await expect(widget.alert).toBeHidden();
    const stored = await workspace.data();
    expect(
      storedHistory(stored, JANE).map((m) => m.text),
      'nothing of it went to Jane',
    ).toEqual(['Is my refund through?']);
    const newVisitor = await widget.visitorId();
    expect(newVisitor).not.toBe(janesVisitor);
    expect(visitorHistory(stored, newVisitor).map((m) => m.text)).toEqual(['Written by whoever sits down next']);
  });
});

test.describe('C3 clearing on logout, when the server cannot be reached', () => {
  test.use({ seed: customersWhoWrote({ [JANE]: ['Jane before the outage'] }) });

  test('[C3.6] a reset the server did not do never reports success: reset() rejects, and the panel stays empty', async ({
    page,
    site,
    widget,
    workspace,
  }) => {
    await site.gotoHome();
    await widget.open();
    expect(await widget.tag({ email: JANE })).toEqual({ ok: true });
    await expect(widget.messages).toHaveText(['Jane before the outage']);
    const janesVisitor = await widget.visitorId();

    // The revocation request fails in the network: the server never revokes Jane's visitor.
    await page.route('**/visitors/*/reset', (route) => route.abort('connectionfailed'));
    const outcome = await widget.reset();
    expect(outcome).toMatchObject({ ok: false, name: 'CVError' });
    expect(visitorOf(await workspace.data(), janesVisitor)?.revokedAt, 'the server did not revoke it').toBeUndefined();
    // eslint-disable-next-line playwright/prefer-web-first-assertions -- read at once: nothing of Jane once reset has settled
    expect(await widget.messages.allTextContents()).toEqual([]);
  });

  test('[C3.10] after a reset of a visitor who has done nothing yet (a site that resets on every signed-out page), the chat works live', async ({
    site,
    widget,
    agent,
  }) => {
    await site.gotoHome();
    await widget.open();
    await widget.visitorId();
    expect(await widget.reset()).toEqual({ ok: true });
    await widget.sendAndWait('Anyone there after that reset?');
    const guest = (await agent.conversations()).find((c) => c.messages.some((m) => m.text === 'Anyone there after that reset?'))!;
    await agent.reply(guest.id, 'Yes, here I am');
    await expect(widget.messages, 'the reply appears without a reload').toHaveText(['Anyone there after that reset?', 'Yes, here I am']);
  });
});
