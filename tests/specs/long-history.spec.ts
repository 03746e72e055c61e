/**
 * C24 — Histories of realistic length. A customer who has written for years has hundreds of
 * messages: every one of them is reachable, oldest first, none lost or shown twice, after a
 * login, a reload and a live reply. The history comes a page at a time (C26): the visitor
 * scrolls up to reach the oldest.
 */
import { expect, test } from '../fixtures.js';
import { JANE } from '../support/people.js';
import { expectScrolledBackTo } from '../support/older-history.js';
import { SITE_AGENTS } from '../../fixture-site/src/users.js';

const COUNT = 500;
/** Numbered without padding, so that an order by text ("10" before "9") shows up. */
const history = Array.from({ length: COUNT }, (_, i) => (i % 3 === 2 ? `Agent answer ${i + 1}` : `Jane message ${i + 1}`));

test.describe('C24 long histories', () => {
  test.use({
    seed: {
      customers: [
        {
          email: JANE,
          assignedUser: SITE_AGENTS[0].email,
          messages: history.map((text) => ({ from: text.startsWith('Agent') ? SITE_AGENTS[0].email : 'customer', text })),
        },
      ],
    },
  });

  test(`[C24.1] a customer with ${COUNT} messages sees every one, oldest first, none twice, after login, reload and a live reply`, async ({
    page,
    site,
    widget,
    agent,
  }) => {
    await site.login(JANE);
    await widget.open();
    await expectScrolledBackTo(widget, history[0]!);
    await expect(widget.messages).toHaveText(history);

    await page.reload();
    await widget.open();
    await expectScrolledBackTo(widget, history[0]!);
    await expect(widget.messages).toHaveText(history);

    await widget.sendAndWait('Jane writes once more');
    await agent.reply((await agent.conversationOf(JANE)).id, 'Agent answers once more');
    await expect(widget.messages).toHaveText([...history, 'Jane writes once more', 'Agent answers once more']);
  });
});
