/**
 * C4 — Assignment and labels: `assignedUser` routes the customer's conversation to that agent
 * and the widget shows who it is; labels are stored on the customer; an agent the workspace
 * does not have makes tag reject, and nothing changes.
 */
import { expect, test } from '../fixtures.js';
import { customerOf } from '../support/admin-client.js';
import { JANE, OLGA } from '../support/people.js';

test.describe('C4 assignment and labels', () => {
  test('[C4.1] the assigned agent is shown in the widget and recorded on the conversation', async ({ site, widget, agent }) => {
    await site.login(JANE);
    await widget.open();
    await expect(widget.assignedAgent).toHaveText('Anna Agent');
    await widget.sendAndWait('Hi Anna');

    const conversation = await agent.conversationOf(JANE);
    expect(conversation.assignedAgent).toBe('anna.agent@example.com');
    expect(conversation.messages.map((m) => m.text)).toEqual(['Hi Anna']);
  });

  test('[C4.2] labels are stored on the customer, and replaced by the next tag', async ({ site, widget, workspace }) => {
    await site.login(JANE);
    await expect(site.chatStatus).toHaveText('Your chat history is loaded.');
    let jane = customerOf(await workspace.data(), JANE);
    expect(jane?.labels).toEqual(['premium', 'newsletter']);
    expect(jane).toMatchObject({ firstname: 'Jane', lastname: 'Roe' });

    expect(await widget.tag({ email: JANE, labels: ['vip'] })).toEqual({ ok: true });
    jane = customerOf(await workspace.data(), JANE);
    expect(jane?.labels).toEqual(['vip']);
  });

  test('[C4.3] an unknown agent makes tag reject with an error naming it, and nothing changes', async ({ site, widget, workspace }) => {
    await site.gotoHome();
    await widget.sendAndWait('Before login');
    const before = await workspace.data();

    await site.login(OLGA);
    await expect(site.chatStatus).toContainText('Your chat history could not be loaded');
    await expect(site.chatStatus).toContainText('assignedUser');
    await expect(site.chatStatus).toContainText('departed.agent@example.com');

    const after = await workspace.data();
    expect(after.customers).toEqual(before.customers);
    expect(after.conversations).toEqual(before.conversations);
    // The widget keeps working: the anonymous conversation goes on.
    await widget.open();
    await expect(widget.messages).toHaveText(['Before login']);
    await widget.sendAndWait('Still here');
    await expect(widget.messages).toHaveText(['Before login', 'Still here']);
  });
});
