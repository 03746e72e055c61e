/**
 * C20 — A strict Content-Security-Policy: the whole lifecycle works on pages that allow no
 * inline script or style, no eval, and enforce Trusted Types, with only the widget's script
 * and API origins added (docs/SECURITY.md), and the page reports no violation.
 */
import { expect, test, type Embed } from '../fixtures.js';
import { SITE_URL } from '../support/env.js';
import { watchCspViolations } from '../support/page-probes.js';
import { JOHN, customersWhoWrote } from '../support/people.js';

for (const embed of ['proxy', 'direct'] as Embed[]) {
  test.describe(`C20 strict Content-Security-Policy, widget ${embed === 'proxy' ? 'proxied by the site' : 'from the vendor origin'}`, () => {
    test.use({ embed, siteCsp: 'strict', seed: customersWhoWrote({ [JOHN]: ['Earlier question'] }) });

    test(`[C20.1] a guest chat, a login with history, a live reply and a logout work with no violation (${embed})`, async ({
      page,
      site,
      widget,
      agent,
    }) => {
      const violations = await watchCspViolations(page);
      const home = page.waitForResponse((r) => r.url() === `${SITE_URL}/`);
      await site.gotoHome();
      expect((await home).headers()['content-security-policy'], 'the page is served under the strict policy').toContain(
        "require-trusted-types-for 'script'",
      );

      await widget.sendAndWait('Guest question');
      await site.login(JOHN);
      await widget.open();
      await expect(widget.messages).toHaveText(['Earlier question', 'Guest question']);
      await agent.reply((await agent.conversationOf(JOHN)).id, 'Live answer');
      await expect(widget.messages).toHaveText(['Earlier question', 'Guest question', 'Live answer']);
      await site.logout();
      await widget.open();
      await expect(widget.messages).toHaveCount(0);
      await widget.sendAndWait('New guest');
      expect(violations).toEqual([]);
    });
  });
}
