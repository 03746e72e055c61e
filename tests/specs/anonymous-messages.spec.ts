/**
 * C15 — What a visitor wrote before signing in is a workspace setting: `merge` (the default,
 * checked by C2.2) moves it into the customer's conversation; `separate` keeps it apart.
 */
import { storedHistory } from '../support/admin-client.js';
import { expect, test } from '../fixtures.js';
import { JOHN, customersWhoWrote } from '../support/people.js';

test.describe('C15 anonymous messages kept separate', () => {
  test.use({
    anonymousMessages: 'separate',
    seed: customersWhoWrote({ [JOHN]: ['John, last week'] }),
  });

  test('[C15.1] with anonymousMessages "separate", login shows only the customer history and the anonymous conversation stays apart', async ({
    site,
    widget,
    workspace,
  }) => {
    await site.gotoHome();
    await widget.sendAndWait('Guest question');
    await site.login(JOHN);
    await widget.open();
    await expect(widget.messages).toHaveText(['John, last week']);

    const stored = await workspace.data();
    expect(storedHistory(stored, JOHN).map((m) => m.text)).toEqual(['John, last week']);
    const guest = stored.conversations.find((c) => c.messages.some((m) => m.text === 'Guest question'));
    expect(guest?.customerId).toBeUndefined();
    expect(guest?.messages.map((m) => m.text)).toEqual(['Guest question']);
  });
});
