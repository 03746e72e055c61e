/**
 * C26 — Paged history. A customer's history reaches the widget a page at a time: the session
 * and tag answers hold the latest page, oldest first, and a cursor to the page before; the
 * widget shows the latest messages and loads older ones as the visitor scrolls up, every
 * message once, in order, and never another identity's page.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { expect, test, type Visitor } from '../fixtures.js';
import { ScreenRecorder } from '../support/screen-recorder.js';
import { holdEventStreams, holdOlderPageAnswers, holdRegistrations } from '../support/held-requests.js';
import { expectScrolledBackTo } from '../support/older-history.js';
import { JOHN } from '../support/people.js';
import { VisitorClient } from '../support/visitor-client.js';
import type { HistoryPage, SessionView } from '../../protocol/widget-api.js';

const texts = (n: number) => Array.from({ length: n }, (_, i) => `message ${i + 1} of ${n}`);
/** Histories at and around the page edges (a page holds 50), and a long one. */
const LENGTHS = [1, 49, 50, 51, 100, 101, 10_000];
const emailOf = (n: number) => `history-${n}@example.com`;

test.describe('C26 paged history', () => {
  test.describe('at the API', () => {
    test.use({ seed: { customers: LENGTHS.map((n) => ({ email: emailOf(n), generatedMessages: n })) } });

    test('[C26.1] tag answers the latest page and a cursor; the pages before it hold every message once, oldest first, also while new ones arrive', async ({
      mockApi,
      workspace,
    }) => {
      for (const n of LENGTHS) {
        const visitor = await VisitorClient.register(mockApi, workspace.id);
        const tagged = await visitor.tag({ email: emailOf(n) });
        expect(tagged.status()).toBe(200);
        const session = (await tagged.json()) as SessionView;
        expect(
          session.messages.map((m) => m.text),
          `${n} messages: the latest page`,
        ).toEqual(texts(n).slice(-50));
        expect(session.olderCursor === null, `${n} messages: a cursor while older ones are left`).toBe(n <= 50);

        // Messages arriving while the visitor pages back move nothing in the pages before.
        await visitor.send('new while paging');
        const all = (await visitor.allMessages()).map((m) => m.text);
        expect(all, `${n} messages, paged back to the first`).toEqual([...texts(n), 'new while paging']);
      }
    });

    test('[C26.2] a malformed cursor or page size is refused with 400 naming it; a smaller page size is honoured', async ({
      mockApi,
      workspace,
    }) => {
      const visitor = await VisitorClient.register(mockApi, workspace.id);
      await visitor.tag({ email: emailOf(101) });
      for (const [query, name] of [
        [{ before: 'abc' }, 'before'],
        [{ before: '-1' }, 'before'],
        [{ limit: '0' }, 'limit'],
        [{ limit: '201' }, 'limit'],
        [{ limit: '2.5' }, 'limit'],
        ['limit=5&limit=6', 'limit'],
        ['before=1&before=2', 'before'],
      ] as const) {
        const refused = await visitor.history(query);
        expect(refused.status(), JSON.stringify(query)).toBe(400);
        expect((await refused.json()).error).toMatchObject({ code: 'invalid_query', message: expect.stringContaining(name) });
      }
      const page = (await (await visitor.history({ limit: '7' })).json()) as HistoryPage;
      expect(page.messages.map((m) => m.text)).toEqual(texts(101).slice(-7));
      const before = (await (await visitor.history({ before: page.olderCursor!, limit: '7' })).json()) as HistoryPage;
      expect(before.messages.map((m) => m.text)).toEqual(texts(101).slice(-14, -7));
    });
  });

  test.describe('in the widget', () => {
    /**
     * John signed in in two tabs, each showing his latest message; `hold` is set on the other
     * tab before its first load. The other tab and what `hold` returned.
     */
    async function johnInTwoTabs<T>(
      first: Omit<Visitor, 'page'> & { newTab: (context: BrowserContext) => Promise<Visitor> },
      hold: (page: Page) => Promise<T>,
    ): Promise<{ other: Visitor; held: T }> {
      await first.site.login(JOHN);
      await first.widget.open();
      await expect(first.widget.messages.last()).toHaveText('message 120 of 120');
      const other = await first.newTab(first.context);
      const held = await hold(other.page);
      await other.site.gotoAccount();
      await other.widget.open();
      await expect(other.widget.messages.last()).toHaveText('message 120 of 120');
      return { other, held };
    }

    test.use({ seed: { customers: [{ email: JOHN, firstname: 'John', lastname: 'Doe', generatedMessages: 120 }] } });

    test('[C26.3] the latest messages are on screen at login; scrolling up brings every older one, once, in order', async ({
      site,
      widget,
    }) => {
      await site.login(JOHN);
      await widget.open();
      await expect(widget.messages.last()).toHaveText('message 120 of 120');
      await expect(widget.messages.last()).toBeInViewport();
      await expectScrolledBackTo(widget, 'message 1 of 120');
      await expect(widget.messages).toHaveText(texts(120));
      await expect(widget.earlierButton, 'no earlier messages are offered once the first is on screen').toBeHidden();
    });

    test('[C26.6] an older page that cannot be loaded is said in the alert; scrolling up again brings it, and the alert goes', async ({
      page,
      site,
      widget,
    }) => {
      await site.login(JOHN);
      await widget.open();
      await expect(widget.messages.last()).toHaveText('message 120 of 120');
      // The network fails for older pages until it comes back.
      await page.route(/\/visitors\/[^/]+\/messages\?/, (route) => route.abort('connectionfailed'));
      await widget.scrollUp();
      await expect(widget.alert, 'the visitor is told the older messages did not come').toHaveText(/\S/);
      await expect(widget.messages).toHaveText(texts(120).slice(-50));

      await page.unrouteAll();
      await widget.scrollDown();
      await expectScrolledBackTo(widget, 'message 1 of 120');
      await expect(widget.messages).toHaveText(texts(120));
      await expect(widget.alert).toBeHidden();
    });

    test('[C26.4] an older page that arrives after a reset is never shown: the new visitor sees none of it', async ({
      page,
      context,
      site,
      widget,
    }) => {
      const recorder = await ScreenRecorder.install(context);
      await site.gotoHome();
      await widget.open();
      expect(await widget.tag({ email: JOHN })).toEqual({ ok: true });
      await expect(widget.messages.last()).toHaveText('message 120 of 120');

      // The older page is answered while John's visitor is valid, and held on its way back while
      // the site logs John out.
      const answers = await holdOlderPageAnswers(page);
      await expect(async () => {
        await widget.scrollUp();
        expect(answers.held()).toBeGreaterThan(0);
      }, 'scrolling up asks for the page before').toPass({ timeout: 30_000 });
      const mark = await recorder.mark(page);
      expect(await widget.reset()).toEqual({ ok: true });
      answers.release();
      await answers.delivered();
      // A round trip later, the held page has long been handled.
      await widget.sendAndWait('A new visitor');
      await expect(widget.messages).toHaveText(['A new visitor']);
      expect(await recorder.shownSince(page, mark)).not.toContainEqual(expect.stringMatching(/of 120/));
    });

    test("[C26.4] an older page that arrives after a logout in another tab is never shown there (session mode): that tab's new visitor sees none of it", async ({
      context,
      site,
      widget,
      newTab,
    }) => {
      // Two tabs, each loading a history of 120 messages, and a logout between them.
      test.slow();
      const recorder = await ScreenRecorder.install(context);
      // The other tab's older page is answered while John is signed in, and held on its way back
      // while the first tab logs out. It arrives while the other tab is still getting its new
      // visitor (a slow network), and before that visitor is known. (Held from the tab's first
      // load on: no older page may slip past while the tab is still laying out its panel.)
      const { other, held: answers } = await johnInTwoTabs({ context, site, widget, newTab }, holdOlderPageAnswers);
      await expect(async () => {
        await other.widget.scrollUp();
        expect(answers.held()).toBeGreaterThan(0);
      }, 'scrolling up in the other tab asks for the page before').toPass({ timeout: 30_000 });
      const registrations = await holdRegistrations(other.page);
      const mark = await recorder.mark(other.page);
      await site.logout();
      await expect(other.widget.messages, 'the other tab is emptied').toHaveCount(0);
      await expect.poll(() => registrations.held(), { message: 'the other tab asks for its new visitor' }).toBeGreaterThan(0);
      answers.release();
      await answers.delivered();
      registrations.release();
      // A round trip later, the held page has long been handled.
      await other.widget.sendAndWait('A new visitor in the other tab');
      await expect(other.widget.messages).toHaveText(['A new visitor in the other tab']);
      expect(await recorder.shownSince(other.page, mark)).not.toContainEqual(expect.stringMatching(/of 120/));
    });

    test('[C26.5] more than a page of replies sent while the event stream was connecting all appear once it connects, in order', async ({
      page,
      site,
      widget,
      agent,
    }) => {
      const streams = await holdEventStreams(page);
      await site.login(JOHN);
      await widget.open();
      await expect(widget.messages.last()).toHaveText('message 120 of 120');
      await expect.poll(() => streams.held(), { message: "the signed-in page's stream is held" }).toBeGreaterThan(0);
      const conversation = (await agent.conversationOf(JOHN)).id;
      const replies = Array.from({ length: 60 }, (_, i) => `reply ${i + 1} while connecting`);
      for (const reply of replies) await agent.reply(conversation, reply);
      streams.release();
      await expect(widget.messages).toHaveText([...texts(120).slice(-50), ...replies]);
    });

    test('[C26.7] what a catch-up is still fetching when the user logs out in another tab is never shown', async ({
      context,
      site,
      widget,
      newTab,
      agent,
    }) => {
      // Two tabs each load 120 messages, and sixty replies are posted: more than a quick test.
      test.slow();
      const recorder = await ScreenRecorder.install(context);
      // The other tab's event stream is held from its first load: the replies reach it by catch-up,
      // more than a page of them, so that it fetches the page before its latest one too.
      const { other, held: streams } = await johnInTwoTabs({ context, site, widget, newTab }, holdEventStreams);
      await expect.poll(() => streams.held(), { message: "the other tab's stream is held" }).toBeGreaterThan(0);
      const conversation = (await agent.conversationOf(JOHN)).id;
      for (let i = 1; i <= 60; i++) await agent.reply(conversation, `reply ${i} while the other tab connects`);

      const answers = await holdOlderPageAnswers(other.page);
      streams.release();
      await expect.poll(() => answers.held(), { message: 'the catch-up asks for what its latest page does not reach' }).toBeGreaterThan(0);
      const mark = await recorder.mark(other.page);
      await site.logout();
      await expect(other.widget.messages, 'the other tab is emptied').toHaveCount(0);
      answers.release();
      await answers.delivered();
      await other.widget.sendAndWait('A new visitor in the other tab');
      await expect(other.widget.messages).toHaveText(['A new visitor in the other tab']);
      expect(await recorder.shownSince(other.page, mark), 'nothing of John after the logout').not.toContainEqual(
        expect.stringMatching(/of 120|while the other tab connects/),
      );
    });
  });
});
