/**
 * C14 — Lifecycle events (optional feature "events"): a site can listen on `window` for
 * cv:identity-changed, cv:history-loaded, cv:reset and cv:identity-rejected.
 */
import type { Page } from '@playwright/test';
import { expect, notApplicableUnless, test } from '../fixtures.js';
import { JANE, customersWhoWrote } from '../support/people.js';

interface Heard {
  name: string;
  detail: Record<string, unknown>;
}

/** Runs in the page before its scripts: keeps every lifecycle event it hears in `window.cvHeard`. */
function listen(): void {
  const w = window as unknown as { cvHeard: { name: string; detail: unknown }[] };
  w.cvHeard = [];
  for (const name of ['identity-changed', 'history-loaded', 'reset', 'identity-rejected']) {
    window.addEventListener(`cv:${name}`, (event) => w.cvHeard.push({ name, detail: (event as CustomEvent).detail }));
  }
}

const heard = (page: Page) => page.evaluate(() => (window as unknown as { cvHeard: Heard[] }).cvHeard);

test.describe('C14 lifecycle events', () => {
  test.use({ seed: customersWhoWrote({ [JANE]: ['Hello from Jane'] }) });

  test.beforeEach(async ({ page }) => {
    await page.addInitScript(listen);
  });

  test('[C14.1] tag announces the new identity and the history it loaded', async ({ page, site, widget }) => {
    await site.gotoHome();
    notApplicableUnless((await widget.features()).includes('events'), 'events');
    expect(await widget.tag({ email: JANE })).toEqual({ ok: true });
    const visitorId = await widget.visitorId();
    const events = await heard(page);
    expect(events).toContainEqual({ name: 'identity-changed', detail: { visitorId, customer: { email: JANE } } });
    expect(events).toContainEqual({ name: 'history-loaded', detail: { visitorId, messages: 1 } });
  });

  test('[C14.2] reset announces the new anonymous visitor', async ({ page, site, widget }) => {
    await site.login(JANE);
    notApplicableUnless((await widget.features()).includes('events'), 'events');
    expect(await widget.reset()).toEqual({ ok: true });
    const visitorId = await widget.visitorId();
    const events = await heard(page);
    expect(events).toContainEqual({ name: 'reset', detail: { visitorId } });
    expect(events).toContainEqual({ name: 'identity-changed', detail: { visitorId, customer: null } });
  });

  test('[C14.3] a refused tag announces why', async ({ page, site, widget }) => {
    await site.gotoHome();
    notApplicableUnless((await widget.features()).includes('events'), 'events');
    expect((await widget.tag({ email: 'nope' })).ok).toBe(false);
    expect((await widget.tag({ email: JANE, assignedUser: 'ghost@example.com' })).ok).toBe(false);
    const rejected = (await heard(page)).filter((e) => e.name === 'identity-rejected').map((e) => e.detail);
    expect(rejected).toEqual([
      { code: 'invalid_user', message: expect.stringContaining('email') },
      { code: 'unknown_agent', message: expect.stringContaining('ghost@example.com') },
    ]);
  });

  test('[C14.4] a reset made in another tab is announced in this tab too, with the visitor this tab has now', async ({
    context,
    site,
    widget,
    newTab,
  }) => {
    const other = await newTab(context);
    await other.page.addInitScript(listen);
    await site.login(JANE);
    notApplicableUnless((await widget.features()).includes('events'), 'events');
    await other.site.gotoAccount();
    await other.widget.open();
    await expect(other.widget.messages).toHaveText(['Hello from Jane']);
    const before = await other.widget.visitorId();

    await site.logout();
    await expect(other.widget.messages, 'the other tab follows the logout').toHaveCount(0);
    const resets = async () => (await heard(other.page)).filter((e) => e.name === 'reset').map((e) => e.detail);
    await expect.poll(resets, { message: 'the other tab announces the reset' }).toHaveLength(1);
    const [announced] = await resets();
    expect(announced).toEqual({ visitorId: await other.widget.visitorId() });
    expect(announced?.visitorId, 'a new visitor').not.toBe(before);
  });
});
