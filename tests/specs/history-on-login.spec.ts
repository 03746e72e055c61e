/**
 * C2 — History on login: `CV.user.tag` attaches the visitor to the customer and shows all of
 * that customer's history, from every browser and from the agents, oldest first.
 */
import { storedHistory } from '../support/admin-client.js';
import { expect, test } from '../fixtures.js';
import { JOHN } from '../support/people.js';

test.describe('C2 history on login', () => {
  test('[C2.1] a customer who chatted in one browser logs in from another and sees it all, agent replies included, in order', async ({
    site,
    widget,
    agent,
    newVisitor,
  }) => {
    await site.login(JOHN);
    await widget.sendAndWait('My parcel has not arrived');
    const conversation = await agent.conversationOf(JOHN);
    await agent.reply(conversation.id, 'Sorry about that, let me check');
    await expect(widget.messages).toHaveText(['My parcel has not arrived', 'Sorry about that, let me check']);
    await widget.sendAndWait('Thanks!');

    const laptop = await newVisitor();
    await laptop.site.login(JOHN);
    await laptop.widget.open();
    await expect(laptop.widget.messages).toHaveText(['My parcel has not arrived', 'Sorry about that, let me check', 'Thanks!']);
  });

  test('[C2.2] messages sent anonymously before login join the customer history', async ({ site, widget, workspace }) => {
    await site.gotoHome();
    await widget.sendAndWait('Question before logging in');
    await site.login(JOHN);
    await widget.open();
    await expect(widget.messages).toHaveText(['Question before logging in']);
    await widget.sendAndWait('And one after');

    const stored = await workspace.data();
    expect(storedHistory(stored, JOHN).map((m) => m.text)).toEqual(['Question before logging in', 'And one after']);
    expect(stored.conversations.filter((c) => c.messages.length > 0)).toHaveLength(1);
  });

  test.describe('with earlier history', () => {
    test.use({
      seed: {
        customers: [
          {
            email: JOHN,
            firstname: 'John',
            lastname: 'Doe',
            messages: [
              { from: 'customer', text: 'Do you ship to Norway?' },
              { from: 'anna.agent@example.com', text: 'Yes, within five days.' },
            ],
          },
        ],
      },
    });

    test('[C2.3] tag on every page load duplicates nothing: one customer, one conversation, each message once', async ({
      page,
      site,
      widget,
      workspace,
    }) => {
      await site.login(JOHN);
      await expect(site.chatStatus).toHaveText('Your chat history is loaded.');
      await page.reload();
      await expect(site.chatStatus).toHaveText('Your chat history is loaded.');
      await site.gotoAccount();
      await expect(site.chatStatus).toHaveText('Your chat history is loaded.');
      await widget.open();
      await expect(widget.messages).toHaveText(['Do you ship to Norway?', 'Yes, within five days.']);

      const stored = await workspace.data();
      expect(stored.customers.filter((c) => c.email === JOHN)).toHaveLength(1);
      expect(storedHistory(stored, JOHN).map((m) => m.text)).toEqual(['Do you ship to Norway?', 'Yes, within five days.']);
    });

    test('[C2.4] the tag Promise settles once the history is on screen', async ({ site, widget }) => {
      await site.gotoHome();
      await widget.open();
      await widget.visitorId();
      const outcome = await widget.tag({ email: JOHN, firstname: 'John', lastname: 'Doe' });
      expect(outcome).toEqual({ ok: true });
      // Read at once, without waiting: the history must already be there.
      // eslint-disable-next-line playwright/prefer-web-first-assertions -- deliberately not retried
      expect(await widget.messages.allTextContents()).toEqual(['Do you ship to Norway?', 'Yes, within five days.']);
    });
  });

  test('[C2.5] an agent reply reaches the open widget without a reload', async ({ site, widget, agent }) => {
    await site.login(JOHN);
    await widget.sendAndWait('Anyone?');
    const conversation = await agent.conversationOf(JOHN);
    await agent.reply(conversation.id, 'Here I am');
    await expect(widget.messages).toHaveText(['Anyone?', 'Here I am']);
  });

  test('[C2.6] messages with the same text are still separate messages: each is shown, live, after a reload and on another device', async ({
    page,
    site,
    widget,
    agent,
    workspace,
    newVisitor,
  }) => {
    // Two browser profiles and a reload: 20 s on a quiet 2-core machine, past a minute on a loaded one.
    test.slow();
    await site.login(JOHN);
    await widget.sendAndWait('ok');
    await widget.send('ok', 'enter');
    await expect(widget.messages).toHaveText(['ok', 'ok']);
    const conversation = await agent.conversationOf(JOHN);
    await agent.reply(conversation.id, 'ok');
    await expect(widget.messages, 'the reply arrives live beside the two like it').toHaveText(['ok', 'ok', 'ok']);

    await page.reload();
    await widget.open();
    await expect(widget.messages).toHaveText(['ok', 'ok', 'ok']);
    const phone = await newVisitor();
    await phone.site.login(JOHN);
    await phone.widget.open();
    await expect(phone.widget.messages).toHaveText(['ok', 'ok', 'ok']);
    expect(storedHistory(await workspace.data(), JOHN).map((m) => m.text)).toEqual(['ok', 'ok', 'ok']);
  });
});
