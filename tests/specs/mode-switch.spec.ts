/**
 * C12 — Mode switch: when a workspace moves from local to session ids, the old long-lived id
 * is no longer used and is removed from localStorage.
 */
import { webStorageText } from '../support/storage.js';
import { expect, test } from '../fixtures.js';

test.describe('C12 mode switch', () => {
  test.use({ idMode: 'local' });

  test('[C12.1] after a switch from local to session ids, the long-lived id is neither used nor kept', async ({
    page,
    site,
    widget,
    workspace,
  }) => {
    await site.gotoHome();
    await widget.sendAndWait('Written under local ids');
    const oldId = await widget.visitorId();
    expect((await webStorageText(page)).local).toContain(oldId);

    await workspace.updateSettings({ idMode: 'session' });
    await page.reload();
    await widget.open();
    const newId = await widget.visitorId();
    expect(newId).not.toBe(oldId);
    await expect(widget.messages).toHaveCount(0);
    const storage = await webStorageText(page);
    expect(storage.local).not.toContain(oldId);
    expect(storage.local).not.toContain(newId);
    expect(storage.session).toContain(newId);
  });
});
