/**
 * C18 — Identity verification. When a workspace requires it, a tag opens a customer's history
 * only with proof made on the site's server with the workspace's secret: an HMAC `userHash`
 * or a signed JWT `externalToken`. Every forged, stale or borrowed proof is refused, the page
 * receives none of the victim's messages, and nothing is attached to the victim. The secret
 * itself never reaches a browser.
 */
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures.js';
import { setSiteKnobs } from '../support/site-knobs.js';
import { customerOf, storedHistory } from '../support/admin-client.js';
import { IDENTITY_SECRET } from '../support/env.js';
import { jwtFor, unsignedJwt, userHashFor, withClaims } from '../support/identity-proofs.js';
import { NetworkLog } from '../support/network-log.js';
import { JOHN } from '../support/people.js';

const VICTIM = JOHN;
const ATTACKER = 'mallory@example.com';
const VICTIM_TEXTS = ['Victim: my card ends in 4242', 'Anna: your refund of 80 EUR is on its way'];

const withVictim = {
  identityVerification: 'required' as const,
  seed: {
    customers: [
      {
        email: VICTIM,
        firstname: 'John',
        lastname: 'Doe',
        messages: [
          { from: 'customer', text: VICTIM_TEXTS[0]! },
          { from: 'anna.agent@example.com', text: VICTIM_TEXTS[1]! },
        ],
      },
    ],
  },
};

test.describe('C18 identity verification', () => {
  test.use(withVictim);

  for (const proof of ['jwt', 'hmac'] as const) {
    test.describe(`a site that signs with ${proof === 'jwt' ? 'an externalToken (JWT)' : 'a userHash (HMAC)'}`, () => {
      test.use({ proof });

      test(`[C18.1] the customer's history appears after a login signed on the site's server (${proof})`, async ({ site, widget }) => {
        await site.login(VICTIM);
        await expect(site.chatStatus).toHaveText('Your chat history is loaded.');
        await widget.open();
        await expect(widget.messages).toHaveText(VICTIM_TEXTS);
      });
    });
  }

  test('[C18.2] every forged, empty, stale or borrowed proof is refused, and the page never receives the victim’s messages', async ({
    page,
    site,
    widget,
    workspace,
  }) => {
    const network = new NetworkLog(page);
    const now = Math.floor(Date.now() / 1000);
    const attackerToken = await jwtFor({ email: ATTACKER });
    const attacks: { name: string; user: Record<string, unknown>; mentions: string }[] = [
      { name: 'no proof', user: { email: VICTIM }, mentions: 'identity verification' },
      { name: 'an empty userHash', user: { email: VICTIM, userHash: '' }, mentions: 'identity verification' },
      { name: 'an empty externalToken', user: { email: VICTIM, externalToken: '' }, mentions: 'identity verification' },
      { name: 'a random userHash', user: { email: VICTIM, userHash: 'a3f1'.repeat(16) }, mentions: 'userHash' },
      { name: 'a random externalToken', user: { email: VICTIM, externalToken: 'eyJhbGciOi.random.token' }, mentions: 'externalToken' },
      { name: 'a userHash made for another email', user: { email: VICTIM, userHash: userHashFor(ATTACKER) }, mentions: 'userHash' },
      {
        name: 'a userHash made with the victim’s email under another secret',
        user: { email: VICTIM, userHash: userHashFor(VICTIM, 'another-workspace-secret-0123456789abcdef') },
        mentions: 'userHash',
      },
      { name: 'an externalToken made for another email', user: { email: VICTIM, externalToken: attackerToken }, mentions: 'email' },
      {
        name: 'an expired externalToken',
        user: { email: VICTIM, externalToken: await jwtFor({ email: VICTIM }, { expiresIn: -120 }) },
        mentions: 'expired',
      },
      {
        name: 'an externalToken with alg "none"',
        user: { email: VICTIM, externalToken: unsignedJwt({ email: VICTIM }) },
        mentions: 'algorithm',
      },
      {
        name: 'an externalToken whose email claim was changed',
        user: { email: VICTIM, externalToken: withClaims(attackerToken, { email: VICTIM }) },
        mentions: 'signature',
      },
      {
        name: 'an externalToken whose expiry was pushed back',
        user: { email: VICTIM, externalToken: withClaims(await jwtFor({ email: VICTIM }, { expiresIn: -120 }), { exp: now + 3600 }) },
        mentions: 'signature',
      },
      {
        name: 'an externalToken from another workspace (its secret)',
        user: {
          email: VICTIM,
          externalToken: await jwtFor({ email: VICTIM }, { secret: 'another-workspace-secret-0123456789abcdef', audience: 'other-shop' }),
        },
        mentions: 'signature',
      },
      {
        name: 'an externalToken addressed to another workspace (aud)',
        user: { email: VICTIM, externalToken: await jwtFor({ email: VICTIM }, { audience: 'other-shop' }) },
        mentions: 'another workspace',
      },
      {
        name: 'a genuine proof of the attacker’s id, claiming the victim’s email',
        user: { id: 'mallory-1', email: VICTIM, userHash: userHashFor('mallory-1') },
        mentions: 'email',
      },
    ];
    const victimBefore = customerOf(await workspace.data(), VICTIM)!;

    await site.gotoHome();
    await widget.sendAndWait('Just looking around');
    for (const { name, user, mentions } of attacks) {
      await test.step(name, async () => {
        const outcome = await widget.tag(user);
        expect(outcome.ok, `tag with ${name} must be refused`).toBe(false);
        if (!outcome.ok) expect(outcome.message, `the error for ${name} says why`).toContain(mentions);
        await expect(widget.messages).toHaveText(['Just looking around']);
      });
    }

    expect(await network.containing(VICTIM_TEXTS), 'responses that carried the victim’s messages').toEqual([]);
    const after = await workspace.data();
    const victimAfter = customerOf(after, VICTIM)!;
    expect(victimAfter).toEqual(victimBefore);
    expect(after.visitors.filter((v) => v.customerId === victimAfter.id)).toEqual([]);
    expect(storedHistory(after, VICTIM).map((m) => m.text)).toEqual(VICTIM_TEXTS);
  });

  test('[C18.3] a page that is not signed shows why the history is missing, and shows none of it', async ({ site, widget }) => {
    await setProof(site.page, 'none');
    await site.login(VICTIM);
    await expect(site.chatStatus).toContainText('could not be loaded');
    await expect(site.chatStatus).toContainText('identity verification');
    await widget.open();
    await expect(widget.messages).toHaveCount(0);
  });

  test('[C18.4] the identity secret never reaches the browser: no page, script or API response carries it', async ({
    page,
    site,
    widget,
  }) => {
    const network = new NetworkLog(page);
    for (const proof of ['jwt', 'hmac'] as const) {
      await setProof(page, proof);
      await site.login(VICTIM);
      await widget.open();
      await expect(widget.messages).toHaveText(VICTIM_TEXTS);
      await site.logout();
    }
    const bodies = await network.bodies();
    expect(
      bodies.some(({ body }) => body.includes('externalToken')),
      'the site did send a token',
    ).toBe(true);
    expect(
      bodies.some(({ body }) => body.includes('userHash')),
      'the site did send a hash',
    ).toBe(true);
    expect(bodies.filter(({ body }) => body.includes(IDENTITY_SECRET)).map(({ url }) => url)).toEqual([]);
  });
});

/** Switches how the fixture site signs, for the rest of this browser context. */
async function setProof(page: Page, proof: 'jwt' | 'hmac' | 'none'): Promise<void> {
  await setSiteKnobs(page.context(), { proof });
}
