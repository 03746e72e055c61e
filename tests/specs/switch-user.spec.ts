/**
 * C5 — Switching user without logout: a tag for another customer while one is tagged acts as
 * reset then tag. The first customer's messages never reach the second's screen, not even
 * for a frame: every text the widget ever renders is recorded and checked.
 */
import type { BrowserContext } from '@playwright/test';
import type { ChatWidget } from '../pages/chat-widget.js';
import type { SitePage } from '../pages/site-page.js';
import { ScreenRecorder } from '../support/screen-recorder.js';
import { expect, test } from '../fixtures.js';
import { customerOf, visitorOf } from '../support/admin-client.js';
import { deferred } from '../support/deferred.js';
import { holdRevocations } from '../support/held-requests.js';
import { JOHN, MAX, customersWhoWrote } from '../support/people.js';

test.describe('C5 switching user without logout', () => {
  test.use({
    seed: customersWhoWrote({ [JOHN]: ['John secret: order 1042'], [MAX]: ['Max asks about returns'] }),
  });

  test("[C5.1] tagging a second customer never shows the first one's messages, and starts a new visitor", async ({
    context,
    page,
    site,
    widget,
    workspace,
  }) => {
    const recorder = await ScreenRecorder.install(context);
    await site.gotoHome();
    await widget.open();
    expect(await widget.tag({ email: JOHN })).toEqual({ ok: true });
    await expect(widget.messages).toHaveText(['John secret: order 1042']);
    const johnsVisitor = await widget.visitorId();

    const mark = await recorder.mark(page);
    expect(await widget.tag({ email: MAX, firstname: 'Max' })).toEqual({ ok: true });
    await expect(widget.messages).toHaveText(['Max asks about returns']);
    expect(await recorder.shownSince(page, mark)).not.toContainEqual(expect.stringContaining('John secret'));

    const maxVisitor = await widget.visitorId();
    expect(maxVisitor).not.toBe(johnsVisitor);
    const stored = await workspace.data();
    expect(visitorOf(stored, johnsVisitor)?.revokedAt).toBeTruthy();
    const max = customerOf(stored, MAX);
    expect(visitorOf(stored, maxVisitor)?.customerId).toBe(max?.id);
    expect(visitorOf(stored, johnsVisitor)?.customerId).not.toBe(max?.id);
  });

  /** John signed in, his history recorded on screen; the site forgets to log him out (its session
   * just ends), and Max's login form is filled in. */
  async function johnForgottenMaxSigningIn(context: BrowserContext, site: SitePage, widget: ChatWidget): Promise<ScreenRecorder> {
    const recorder = await ScreenRecorder.install(context);
    await site.login(JOHN);
    await widget.open();
    await expect(widget.messages).toHaveText(['John secret: order 1042']);
    await context.clearCookies({ name: 'site_session' });
    await site.fillLogin(MAX);
    return recorder;
  }

  test("[C5.2] logging in as another user on the site without logging out shows only the new user's history", async ({
    context,
    page,
    site,
    widget,
  }) => {
    const recorder = await johnForgottenMaxSigningIn(context, site, widget);
    // Until Max's page loads, the widget rightly still holds John: no reset was called.
    await widget.open();
    await expect(widget.messages).toHaveText(['John secret: order 1042']);
    const mark = await recorder.mark(page);
    await site.submitLogin();
    await widget.open();
    await expect(widget.messages).toHaveText(['Max asks about returns']);
    expect(await recorder.shownSince(page, mark)).not.toContainEqual(expect.stringContaining('John secret'));
  });

  test("[C5.2] the same when the widget's script arrives before the page's deferred script has tagged the new user", async ({
    context,
    page,
    site,
    widget,
  }) => {
    const recorder = await johnForgottenMaxSigningIn(context, site, widget);
    const mark = await recorder.mark(page);

    // Max's page is parsed, its deferred site.js (which tags Max) held back; only then does the
    // async widget script arrive, with John's visitor still stored: it must not show him meanwhile.
    const siteScript = deferred();
    const widgetScript = deferred();
    await page.route('**/assets/site.js', async (route) => {
      await siteScript.promise;
      await route.continue();
    });
    await page.route('**/cdn/js/*.js', async (route) => {
      await widgetScript.promise;
      await route.continue();
    });
    await site.submitLoginWithoutWaiting();
    await page.waitForURL('**/account', { waitUntil: 'commit' });
    await page.waitForFunction(() => document.readyState === 'interactive');
    widgetScript.resolve();
    await widget.scriptRan();
    siteScript.resolve();

    await widget.open();
    await expect(widget.messages).toHaveText(['Max asks about returns']);
    expect(await recorder.shownSince(page, mark)).not.toContainEqual(expect.stringContaining('John secret'));
  });

  test("[C5.3] a switch empties the chat as it begins: while the server is still revoking the first customer's visitor, none of their messages is on screen, nor what they typed", async ({
    page,
    site,
    widget,
  }) => {
    await site.gotoHome();
    await widget.open();
    expect(await widget.tag({ email: JOHN })).toEqual({ ok: true });
    await expect(widget.messages).toHaveText(['John secret: order 1042']);

    // John left a message half typed; Max sits down at John's screen, and the site (a single-page
    // app) tags him. The revocation of John's visitor is held in the network.
    await widget.messageBox.fill('John, half typed: my new address is');
    const revocations = await holdRevocations(page);
    const switched = widget.tag({ email: MAX, firstname: 'Max' });
    await expect
      .poll(() => revocations.held(), { message: "the switch asks the server to revoke John's visitor (as C5.1 requires)" })
      .toBe(1);
    await expect(widget.messages, "John's messages are gone while his visitor is being revoked").toHaveCount(0);
    await expect(widget.assignedAgent).toBeHidden();
    await expect(widget.messageBox, 'nothing John typed is left for Max').toHaveValue('');
    revocations.release();
    expect(await switched).toEqual({ ok: true });
    await expect(widget.messages).toHaveText(['Max asks about returns']);
  });
});
