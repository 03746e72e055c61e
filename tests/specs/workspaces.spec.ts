/**
 * C17 — Two workspaces embedded on one origin never mix ids or conversations, and a reset in
 * one does not touch the other.
 */
import { SITE_AGENTS } from '../../fixture-site/src/users.js';
import { embedWorkspace, expect, test, visitorOn } from '../fixtures.js';

test.describe('C17 two workspaces on one origin', () => {
  test('[C17.1] the same tab keeps a separate visitor and conversation per workspace', async ({
    context,
    page,
    site,
    widget,
    workspace,
    admin,
    newWorkspace,
    embed,
  }) => {
    const other = await newWorkspace({ name: 'second workspace', settings: { idMode: 'session' }, agents: SITE_AGENTS });
    await site.gotoHome();
    await widget.sendAndWait('Written in the first workspace');
    const firstId = await widget.visitorId();

    await embedWorkspace(context, other.id, embed);
    await page.reload();
    await widget.open();
    const secondId = await widget.visitorId();
    expect(secondId).not.toBe(firstId);
    await expect(widget.messages).toHaveCount(0);
    await widget.sendAndWait('Written in the second workspace');

    await embedWorkspace(context, workspace.id, embed);
    await page.reload();
    await widget.open();
    expect(await widget.visitorId()).toBe(firstId);
    await expect(widget.messages).toHaveText(['Written in the first workspace']);
    expect((await admin.workspace(other.id)).visitors.map((v) => v.id)).not.toContain(firstId);
  });

  test('[C17.2] a reset in one workspace leaves an open tab of the other as it was, also once it reloads', async ({
    context,
    page,
    site,
    widget,
    workspace,
    newWorkspace,
    embed,
  }) => {
    const other = await newWorkspace({ name: 'second workspace', settings: { idMode: 'session' }, agents: SITE_AGENTS });
    await site.gotoHome();
    await widget.sendAndWait('Stays in the first workspace');
    const firstId = await widget.visitorId();

    await embedWorkspace(context, other.id, embed);
    const second = visitorOn(context, await context.newPage());
    await second.site.gotoHome();
    await second.widget.sendAndWait('About to reset');
    expect(await second.widget.reset()).toEqual({ ok: true });
    await second.widget.sendAndWait('After the reset');
    await expect(second.widget.messages).toHaveText(['After the reset']);

    await expect(widget.messages).toHaveText(['Stays in the first workspace']);
    expect(await widget.visitorId()).toBe(firstId);

    // The logout was the other workspace's: nothing of it may reach this one's visitor later.
    await embedWorkspace(context, workspace.id, embed);
    await page.reload();
    await widget.open();
    await expect(widget.messages).toHaveText(['Stays in the first workspace']);
    expect(await widget.visitorId()).toBe(firstId);
  });
});
