/**
 * C1 — Session-based visitor ids: a visitor who is not signed in keeps one id, and one
 * conversation, for as long as the tab lives, and no longer.
 */
import { JOHN } from '../support/people.js';
import { refuseWebStorage, webStorageText } from '../support/storage.js';
import { expect, test } from '../fixtures.js';

test.describe('C1 session-based ids', () => {
  test('[C1.1] a visitor who chatted opens the site in a new browser and sees an empty chat with a new id', async ({
    site,
    widget,
    newVisitor,
    workspace,
  }) => {
    await site.gotoHome();
    await widget.sendAndWait('Is anyone there?');
    const firstId = await widget.visitorId();

    const other = await newVisitor();
    await other.site.gotoHome();
    await other.widget.open();
    const secondId = await other.widget.visitorId();
    expect(secondId).not.toBe(firstId);
    await expect(other.widget.messages).toHaveCount(0);

    await other.widget.sendAndWait('Hello from a new browser');
    await expect(other.widget.messages).toHaveText(['Hello from a new browser']);
    const stored = await workspace.data();
    const conversationOf = (visitorId: string) => stored.conversations.find((c) => c.visitorId === visitorId)?.messages.map((m) => m.text);
    expect(conversationOf(firstId)).toEqual(['Is anyone there?']);
    expect(conversationOf(secondId)).toEqual(['Hello from a new browser']);
  });

  test('[C1.2] a reload keeps the id and the conversation', async ({ page, site, widget }) => {
    await site.gotoHome();
    await widget.sendAndWait('First question');
    const id = await widget.visitorId();

    await page.reload();
    await widget.open();
    expect(await widget.visitorId()).toBe(id);
    await expect(widget.messages).toHaveText(['First question']);
  });

  test('[C1.3] a new tab the user opens gets a new id and an empty chat', async ({ context, site, widget, newTab }) => {
    await site.gotoHome();
    await widget.sendAndWait('Written in the first tab');
    const firstId = await widget.visitorId();

    const tab = await newTab(context);
    await tab.site.gotoHome();
    await tab.widget.open();
    expect(await tab.widget.visitorId()).not.toBe(firstId);
    await expect(tab.widget.messages).toHaveCount(0);
    await tab.widget.sendAndWait('Written in the second tab');
    await expect(tab.widget.messages).toHaveText(['Written in the second tab']);
  });

  test('[C1.4] in session mode the id is kept in sessionStorage, and nothing of it in localStorage or cookies', async ({
    page,
    context,
    site,
    widget,
  }) => {
    await site.gotoHome();
    await widget.sendAndWait('Where do you keep my id?');
    const id = await widget.visitorId();

    const storage = await webStorageText(page);
    const cookies = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('\n');
    expect(storage.session).toContain(id);
    expect(storage.local).not.toContain(id);
    expect(cookies).not.toContain(id);
  });

  test.describe('in local mode', () => {
    test.use({ idMode: 'local' });

    test('[C1.5] the id outlives the tab: a new tab and a saved storage state keep it and its conversation', async ({
      context,
      site,
      widget,
      newTab,
      newVisitor,
    }) => {
      await site.gotoHome();
      await widget.sendAndWait('Remember me');
      const id = await widget.visitorId();

      const tab = await newTab(context);
      await tab.site.gotoHome();
      await tab.widget.open();
      expect(await tab.widget.visitorId()).toBe(id);
      await expect(tab.widget.messages).toHaveText(['Remember me']);

      const later = await newVisitor({ storageState: await context.storageState() });
      await later.site.gotoHome();
      await later.widget.open();
      expect(await later.widget.visitorId()).toBe(id);
      await expect(later.widget.messages).toHaveText(['Remember me']);
    });
  });

  test.describe('where the browser refuses the site its storage', () => {
    test.use({
      seed: {
        customers: [{ email: JOHN, firstname: 'John', lastname: 'Doe', messages: [{ from: 'customer', text: 'Where is my order?' }] }],
      },
    });

    for (const refusal of ['blocked', 'full'] as const) {
      test(`[C1.6] the widget still works for each page: a guest chats, a login shows the history, a logout empties it; nothing is thrown (storage ${refusal})`, async ({
        context,
        page,
        site,
        widget,
      }) => {
        const thrown: string[] = [];
        page.on('pageerror', (error) => thrown.push(error.message));
        await refuseWebStorage(context, refusal);

        await site.gotoHome();
        await widget.sendAndWait('Hello without storage');
        await expect(widget.messages).toHaveText(['Hello without storage']);

        await site.login(JOHN);
        await widget.open();
        await expect(widget.messages).toHaveText(['Where is my order?']);
        const johnsVisitor = await widget.visitorId();

        await site.logout();
        await widget.open();
        await expect(widget.messages).toHaveCount(0);
        expect(await widget.visitorId()).not.toBe(johnsVisitor);
        await widget.sendAndWait('A guest again');
        await expect(widget.messages).toHaveText(['A guest again']);
        expect(thrown).toEqual([]);
      });
    }
  });
});
