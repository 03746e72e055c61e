/**
 * C23 — Every field of `CV.user.tag` takes effect where a user of the vendor sees it: on the
 * widget's screen, on the agent API (the vendor's agent console), at the next tag, and on
 * another device. A widget that accepts a field and then drops it, renames it or compares it
 * wrongly fails here.
 */
import { expect, test } from '../fixtures.js';
import { visitorOf } from '../support/admin-client.js';
import { jwtFor, userHashFor } from '../support/identity-proofs.js';
import { JANE, JOHN, customersWhoWrote } from '../support/people.js';
import { SITE_AGENTS } from '../../fixture-site/src/users.js';

const [ANNA, BEN] = SITE_AGENTS;

test.describe('C23 every tag field takes effect', () => {
  test.describe('named by id', () => {
    test.use({
      seed: { customers: [{ id: 'shop-1001', email: JOHN, messages: [{ from: 'customer', text: 'John by id' }] }] },
    });

    test('[C23.1] the id names the customer: a new email for the same id is the same customer; another id with a taken email is refused', async ({
      site,
      widget,
      agent,
      workspace,
    }) => {
      await site.gotoHome();
      await widget.open();
      expect(await widget.tag({ id: 'shop-1001', email: 'john.new@example.com' })).toEqual({ ok: true });
      await expect(widget.messages).toHaveText(['John by id']);
      const visitorId = await widget.visitorId();
      expect((await agent.conversationOfId('shop-1001')).customer?.email, 'the email follows the id').toBe('john.new@example.com');

      // The same id with its old email again: the same customer, so no reset and no new visitor.
      expect(await widget.tag({ id: 'shop-1001', email: JOHN })).toEqual({ ok: true });
      await expect(widget.messages).toHaveText(['John by id']);
      expect(await widget.visitorId()).toBe(visitorId);
      expect(visitorOf(await workspace.data(), visitorId)?.revokedAt).toBeUndefined();
      expect((await agent.conversationOfId('shop-1001')).customer?.email).toBe(JOHN);

      // Another id is another customer (reset, then tag), and that email is John's: refused.
      const refused = await widget.tag({ id: 'shop-2002', email: JOHN });
      expect(refused).toMatchObject({ ok: false, name: 'CVError', code: 'email_taken' });
      expect(refused.ok === false && refused.message).toContain(JOHN);
      await expect(widget.messages).toHaveCount(0);
      expect(visitorOf(await workspace.data(), visitorId)?.revokedAt, 'the switch revoked the first visitor').toBeTruthy();
      expect((await agent.conversations()).some((c) => c.customer?.id === 'shop-2002')).toBe(false);
    });
  });

  test.describe('named by email', () => {
    test.use({ seed: customersWhoWrote({ [JOHN]: ['John by email'] }) });

    test('[C23.2] without an id the email names the customer, in any letter case, on every device', async ({
      site,
      widget,
      newVisitor,
    }) => {
      await site.gotoHome();
      expect(await widget.tag({ email: 'John.Doe@Example.COM' })).toEqual({ ok: true });
      await widget.open();
      await expect(widget.messages).toHaveText(['John by email']);
      const visitorId = await widget.visitorId();
      await widget.sendAndWait('Sent from the laptop');
      // The same address in its stored case: the same customer, the same visitor.
      expect(await widget.tag({ email: JOHN })).toEqual({ ok: true });
      expect(await widget.visitorId()).toBe(visitorId);

      const phone = await newVisitor();
      await phone.site.gotoHome();
      expect(await phone.widget.tag({ email: JOHN.toUpperCase() })).toEqual({ ok: true });
      await phone.widget.open();
      await expect(phone.widget.messages).toHaveText(['John by email', 'Sent from the laptop']);
    });
  });

  test('[C23.3] firstname and lastname are stored, kept by a tag without them, and replaced by a tag with them', async ({
    site,
    widget,
    agent,
  }) => {
    await site.gotoHome();
    expect(await widget.tag({ email: JOHN, firstname: 'Jo', lastname: 'Doe' })).toEqual({ ok: true });
    expect((await agent.conversationOf(JOHN)).customer).toMatchObject({ firstname: 'Jo', lastname: 'Doe' });
    expect(await widget.tag({ email: JOHN })).toEqual({ ok: true });
    expect((await agent.conversationOf(JOHN)).customer).toMatchObject({ firstname: 'Jo', lastname: 'Doe' });
    expect(await widget.tag({ email: JOHN, firstname: 'John' })).toEqual({ ok: true });
    expect((await agent.conversationOf(JOHN)).customer).toMatchObject({ firstname: 'John', lastname: 'Doe' });
  });

  test('[C23.4] gender is stored, kept by a tag without it, and replaced by a tag with it', async ({ site, widget, agent }) => {
    await site.gotoHome();
    expect(await widget.tag({ email: JANE, gender: 'female' })).toEqual({ ok: true });
    expect((await agent.conversationOf(JANE)).customer?.gender).toBe('female');
    expect(await widget.tag({ email: JANE, firstname: 'Jane' })).toEqual({ ok: true });
    expect((await agent.conversationOf(JANE)).customer?.gender).toBe('female');
    expect(await widget.tag({ email: JANE, gender: 'other' })).toEqual({ ok: true });
    expect((await agent.conversationOf(JANE)).customer?.gender).toBe('other');
  });

  test('[C23.5] labels are stored once each, kept by a tag without them, and replaced (or emptied) by a tag with them', async ({
    site,
    widget,
    agent,
  }) => {
    await site.gotoHome();
    expect(await widget.tag({ email: JANE, labels: ['premium', 'beta', 'premium'] })).toEqual({ ok: true });
    expect((await agent.conversationOf(JANE)).customer?.labels).toEqual(['premium', 'beta']);
    expect(await widget.tag({ email: JANE })).toEqual({ ok: true });
    expect((await agent.conversationOf(JANE)).customer?.labels).toEqual(['premium', 'beta']);
    expect(await widget.tag({ email: JANE, labels: ['newsletter'] })).toEqual({ ok: true });
    expect((await agent.conversationOf(JANE)).customer?.labels).toEqual(['newsletter']);
    expect(await widget.tag({ email: JANE, labels: [] })).toEqual({ ok: true });
    expect((await agent.conversationOf(JANE)).customer?.labels).toEqual([]);
  });

  test.describe('routed to an agent', () => {
    test.use({ seed: customersWhoWrote({ [JANE]: ['Jane asks'] }) });

    test('[C23.6] assignedUser routes the customer: shown on every device, kept by a tag without it, gone after logout, replaced by another agent', async ({
      site,
      widget,
      agent,
      newVisitor,
    }) => {
      await site.gotoHome();
      await widget.open();
      expect(await widget.tag({ email: JANE, assignedUser: ANNA.email })).toEqual({ ok: true });
      await expect(widget.assignedAgent).toHaveText(ANNA.name);
      expect((await agent.conversationOf(JANE)).assignedAgent).toBe(ANNA.email);

      // The routing belongs to the customer: another device, tagged without it, shows it too.
      const phone = await newVisitor();
      await phone.site.gotoHome();
      await phone.widget.open();
      expect(await phone.widget.tag({ email: JANE })).toEqual({ ok: true });
      await expect(phone.widget.messages).toHaveText(['Jane asks']);
      await expect(phone.widget.assignedAgent).toHaveText(ANNA.name);

      expect(await phone.widget.reset()).toEqual({ ok: true });
      await expect(phone.widget.assignedAgent).toBeHidden();
      await phone.page.reload();
      await phone.widget.open();
      await expect(phone.widget.messages).toHaveCount(0);
      await expect(phone.widget.assignedAgent).toBeHidden();

      expect(await phone.widget.tag({ email: JANE, assignedUser: BEN.email })).toEqual({ ok: true });
      await expect(phone.widget.assignedAgent).toHaveText(BEN.name);
      expect((await agent.conversationOf(JANE)).assignedAgent).toBe(BEN.email);
      await site.page.reload();
      await widget.open();
      await expect(widget.assignedAgent).toHaveText(BEN.name);
    });
  });

  test('[C23.7] additionalTaggingData merges across tags, null deletes a key, and keys that name ActiveUser fields change nothing', async ({
    site,
    widget,
    agent,
  }) => {
    await site.gotoHome();
    expect(await widget.tag({ email: JOHN, additionalTaggingData: { plan: 'pro', visits: 1, email: 'mallory@example.com' } })).toEqual({
      ok: true,
    });
    let customer = (await agent.conversationOf(JOHN)).customer;
    expect(customer?.data).toEqual({ plan: 'pro', visits: 1 });
    expect(customer?.email).toBe(JOHN);

    expect(await widget.tag({ email: JOHN, additionalTaggingData: { visits: 2, vip: true } })).toEqual({ ok: true });
    expect((await agent.conversationOf(JOHN)).customer?.data).toEqual({ plan: 'pro', visits: 2, vip: true });

    expect(await widget.tag({ email: JOHN, additionalTaggingData: { plan: null } })).toEqual({ ok: true });
    expect(await widget.tag({ email: JOHN })).toEqual({ ok: true });
    customer = (await agent.conversationOf(JOHN)).customer;
    expect(customer?.data).toEqual({ visits: 2, vip: true });
  });

  test.describe('with identity verification', () => {
    test.use({ identityVerification: 'required', seed: customersWhoWrote({ [JOHN]: ['John verified'], [JANE]: ['Jane verified'] }) });

    test('[C23.8] externalToken alone proves the customer it names, and only that one', async ({ site, widget }) => {
      await site.gotoHome();
      await widget.open();
      const forJohn = await jwtFor({ email: JOHN });
      const refused = await widget.tag({ email: JANE, externalToken: forJohn });
      expect(refused).toMatchObject({ ok: false, name: 'CVError' });
      await expect(widget.messages).toHaveCount(0);
      expect(await widget.tag({ email: JOHN, externalToken: forJohn })).toEqual({ ok: true });
      await expect(widget.messages).toHaveText(['John verified']);
    });

    test('[C23.9] userHash alone proves the customer it names, and only that one', async ({ site, widget }) => {
      await site.gotoHome();
      await widget.open();
      const refused = await widget.tag({ email: JANE, userHash: userHashFor(JOHN) });
      expect(refused).toMatchObject({ ok: false, name: 'CVError' });
      await expect(widget.messages).toHaveCount(0);
      expect(await widget.tag({ email: JANE, userHash: userHashFor(JANE) })).toEqual({ ok: true });
      await expect(widget.messages).toHaveText(['Jane verified']);
    });
  });
});
