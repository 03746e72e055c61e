/**
 * C16 — Real time: after a reset, or a switch of user, replies in the old conversation no
 * longer reach the widget; a reply sent while the widget's event stream is still connecting,
 * or while it is down, is not lost; and the stream is opened without putting the visitor's
 * token in a URL. (That a reply reaches an open widget at all is C2.5.)
 */
import { expect, test, type TestWorkspace } from '../fixtures.js';
import type { ChatWidget } from '../pages/chat-widget.js';
import type { SitePage } from '../pages/site-page.js';
import type { AgentClient } from '../support/agent-client.js';
import { holdEventStreams, holdSessionAnswers, holdTags } from '../support/held-requests.js';
import { NetworkLog, watchIssuedTokens } from '../support/network-log.js';
import { JOHN, MAX, customersWhoWrote } from '../support/people.js';
import { SITE_AGENTS } from '../../fixture-site/src/users.js';

/** What John's chat shows once signInWithLiveStream is done. */
const LIVE = ['John asks', 'Is your chat live?'];

/**
 * Signs John in and waits until his page's own event stream is the only one open. The login
 * page's stream may still be registered for a moment after that page is gone (its close reaches
 * the server late, through the site's proxy); dropping streams then would drop that one, and
 * the account page's, opened just after, would never be dropped at all. A reply that reaches the
 * account page proves its stream is open; the count of one then proves the old one is closed.
 */
async function signInWithLiveStream({
  site,
  widget,
  agent,
  workspace,
}: {
  site: SitePage;
  widget: ChatWidget;
  agent: AgentClient;
  workspace: TestWorkspace;
}): Promise<string> {
  await site.login(JOHN);
  await widget.open();
  await expect(widget.messages).toHaveText(['John asks']);
  const conversation = (await agent.conversationOf(JOHN)).id;
  await agent.reply(conversation, LIVE[1]!);
  await expect(widget.messages).toHaveText(LIVE);
  await expect.poll(() => workspace.openStreams(), { message: "only the signed-in page's stream is open" }).toHaveLength(1);
  return conversation;
}

test.describe('C16 real time', () => {
  test.use({ seed: customersWhoWrote({ [JOHN]: ['John asks'], [MAX]: [] }) });

  test('[C16.1] after logout, replies to the old conversation do not reach the widget', async ({ site, widget, agent }) => {
    await site.login(JOHN);
    await widget.open();
    await expect(widget.messages).toHaveText(['John asks']);
    await site.logout();
    await widget.sendAndWait('A new guest');

    await agent.reply((await agent.conversationOf(JOHN)).id, 'Private answer for John');
    const guest = (await agent.conversations()).find((c) => c.messages.some((m) => m.text === 'A new guest'))!;
    await agent.reply(guest.id, 'Welcome, guest');
    // The guest's reply was sent after John's: once it is on screen, John's would be too.
    await expect(widget.messages).toHaveText(['A new guest', 'Welcome, guest']);
  });

  test('[C16.2] after a switch of user, replies to the first customer do not reach the widget', async ({ site, widget, agent }) => {
    await site.gotoHome();
    expect(await widget.tag({ email: JOHN })).toEqual({ ok: true });
    expect(await widget.tag({ email: MAX })).toEqual({ ok: true });
    await widget.sendAndWait('Max writes');

    await agent.reply((await agent.conversationOf(JOHN)).id, 'Private answer for John');
    await agent.reply((await agent.conversationOf(MAX)).id, 'Answer for Max');
    await expect(widget.messages).toHaveText(['Max writes', 'Answer for Max']);
  });

  test('[C16.3] a reply sent after the history is on screen but before the event stream is connected still appears', async ({
    page,
    site,
    widget,
    agent,
  }) => {
    // Hold every event stream at the network until the reply has been stored: the gap between
    // loading the history and the stream's connection, made wide and certain.
    const streams = await holdEventStreams(page);

    await site.login(JOHN);
    await widget.open();
    await expect(widget.messages).toHaveText(['John asks']);
    await expect.poll(() => streams.held(), { message: "the signed-in page's stream is held" }).toBeGreaterThan(0);
    await agent.reply((await agent.conversationOf(JOHN)).id, 'Sent while connecting');
    streams.release();

    await expect(widget.messages).toHaveText(['John asks', 'Sent while connecting']);
  });

  test('[C16.4] after its event stream drops, the widget connects again: replies sent meanwhile and after appear without a reload', async ({
    site,
    widget,
    agent,
    workspace,
  }) => {
    const conversation = await signInWithLiveStream({ site, widget, agent, workspace });

    expect(await workspace.dropStreams()).toBe(1);
    await agent.reply(conversation, 'Sent while the stream was down');
    await expect(widget.messages).toHaveText([...LIVE, 'Sent while the stream was down']);
    await agent.reply(conversation, 'Sent once it was back');
    await expect(widget.messages).toHaveText([...LIVE, 'Sent while the stream was down', 'Sent once it was back']);
  });

  test('[C16.6] a reconnection that fails in the network, or on a server error, is tried again: replies still arrive', async ({
    page,
    site,
    widget,
    agent,
    workspace,
  }) => {
    const conversation = await signInWithLiveStream({ site, widget, agent, workspace });

    // The next two tickets fail: one in the network, one with a server error. Then the server is back.
    let failures = 0;
    await page.route('**/stream-tickets', async (route) => {
      failures += 1;
      if (failures === 1) return route.abort('connectionfailed');
      if (failures === 2) return route.fulfill({ status: 503, json: { error: { code: 'unavailable', message: 'try again' } } });
      return route.continue();
    });
    expect(await workspace.dropStreams()).toBe(1);
    await agent.reply(conversation, 'Sent during the outage');
    await expect(widget.messages).toHaveText([...LIVE, 'Sent during the outage'], { timeout: 20_000 });
    expect(failures, 'the widget asked for a ticket again after each failure').toBeGreaterThanOrEqual(3);
  });

  test("[C16.5] the visitor's token goes into no URL the page requests: the event stream opens with a one-time ticket", async ({
    page,
    site,
    widget,
    agent,
  }) => {
    const log = new NetworkLog(page);
    const tokens = await watchIssuedTokens(page);
    await site.login(JOHN);
    await widget.open();
    await agent.reply((await agent.conversationOf(JOHN)).id, 'Live for John');
    await expect(widget.messages).toHaveText(['John asks', 'Live for John']);
    await site.logout();
    await widget.sendAndWait('A new guest');
    const guest = (await agent.conversations()).find((c) => c.messages.some((m) => m.text === 'A new guest'))!;
    await agent.reply(guest.id, 'Live for the guest');
    await expect(widget.messages).toHaveText(['A new guest', 'Live for the guest']);

    expect(tokens.length, 'the visitors registered: one before logout, one after').toBeGreaterThanOrEqual(2);
    expect(log.requested.filter((url) => url.includes('/events?')).length, 'event streams opened').toBeGreaterThanOrEqual(2);
    const leaks = log.requested.filter((url) => tokens.some((token) => url.includes(token) || url.includes(encodeURIComponent(token))));
    expect(leaks, 'URLs that carry a visitor token').toEqual([]);
  });
});

test.describe('C16 real time, a catch-up and a tag', () => {
  const [, BEN] = SITE_AGENTS;
  test.use({ seed: { customers: [{ email: JOHN, assignedUser: BEN.email, messages: [{ from: 'customer', text: 'John asks' }] }] } });

  test('[C16.7] a catch-up read the server answered before a tag landed does not undo the tag: the customer keeps their history and their agent', async ({
    page,
    site,
    widget,
    agent,
    workspace,
  }) => {
    await site.gotoHome();
    await widget.open();
    await expect.poll(() => workspace.openStreams(), { message: "the guest's stream is open" }).toHaveLength(1);

    // A tag is under way (held before it reaches the server) when the stream drops and connects
    // again; the catch-up's read is answered at once, for the guest as it still is.
    const tags = await holdTags(page);
    const sessions = await holdSessionAnswers(page);
    const tagged = widget.tag({ email: JOHN });
    await expect.poll(() => tags.held(), { message: 'the tag is on its way' }).toBe(1);
    expect(await workspace.dropStreams()).toBe(1);
    await expect.poll(() => sessions.held(), { message: 'the catch-up read is answered' }).toBe(1);

    tags.release();
    expect((await tagged).ok).toBe(true);
    await expect(widget.messages).toHaveText(['John asks']);
    await expect(widget.assignedAgent).toHaveText(BEN.name);

    // The old answer reaches the page; a reply sent after it shows that the page has dealt with it.
    sessions.release();
    await sessions.delivered();
    await agent.reply((await agent.conversationOf(JOHN)).id, 'After the catch-up');
    await expect(widget.messages).toHaveText(['John asks', 'After the catch-up']);
    await expect(widget.assignedAgent, "the customer's agent is still shown").toHaveText(BEN.name);
  });
});
