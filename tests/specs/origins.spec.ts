/**
 * C21 — Allowed origins: a workspace answers only the origins it lists. On a page of another
 * origin the widget says why the chat is unavailable, and the server stores nothing for it.
 */
import { expect, test, type Embed } from '../fixtures.js';
import { SITE_URL } from '../support/env.js';
import { JOHN, customersWhoWrote } from '../support/people.js';

for (const embed of ['proxy', 'direct'] as Embed[]) {
  test.describe(`C21 allowed origins, widget ${embed === 'proxy' ? 'proxied by the site' : 'from the vendor origin'}`, () => {
    test.use({ embed });

    test.describe('a workspace that lists the site', () => {
      test.use({
        allowedOrigins: ['https://other-shop.example', SITE_URL],
        seed: customersWhoWrote({ [JOHN]: ['Earlier'] }),
      });

      test(`[C21.1] the site's pages chat and load history as usual (${embed})`, async ({ site, widget }) => {
        await site.gotoHome();
        await widget.sendAndWait('Hello');
        await site.login(JOHN);
        await widget.open();
        await expect(widget.messages).toHaveText(['Earlier', 'Hello']);
      });
    });

    test.describe('a workspace that does not list the site', () => {
      test.use({ allowedOrigins: ['https://other-shop.example'] });

      test(`[C21.2] the widget shows that this origin is not allowed and nothing else, and nothing is stored (${embed})`, async ({
        site,
        widget,
        workspace,
      }) => {
        await site.gotoHome();
        await widget.open();
        await expect(widget.alert).toContainText(SITE_URL);
        await expect(widget.alert).toContainText('allowedOrigins');
        // No visitor, so nothing of one: no message, no agent (not even an empty "Your agent"),
        // no earlier messages offered.
        await expect(widget.messages).toHaveCount(0);
        await expect(widget.assignedAgent).toBeHidden();
        await expect(widget.earlierButton).toBeHidden();
        expect((await workspace.data()).visitors).toEqual([]);
      });
    });
  });
}
