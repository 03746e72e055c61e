/**
 * C6 — Bad input: a wrong `CV.user.tag` argument rejects with an error that names the
 * problem and leaves the widget working; the API answers malformed or mistyped requests with
 * a 400 and a JSON body that names the field, and stores nothing.
 */
import { expect, test } from '../fixtures.js';
import { storedHistory } from '../support/admin-client.js';
import { VisitorClient } from '../support/visitor-client.js';
import { JOHN } from '../support/people.js';

test.describe('C6 bad input', () => {
  const cases: { title: string; user: unknown; mentions: string[] }[] = [
    { title: 'an invalid email', user: { email: 'not-an-email' }, mentions: ['email'] },
    { title: 'labels that are not a list of strings', user: { email: 'ann@example.com', labels: 'vip' }, mentions: ['labels'] },
    { title: 'a name that is not a string', user: { email: 'ann@example.com', firstname: 42 }, mentions: ['firstname'] },
    {
      title: 'an unknown gender',
      user: { email: 'ann@example.com', gender: 'robot' },
      mentions: ['gender', 'male', 'female', 'other', 'none'],
    },
    { title: 'no way to identify the customer', user: { firstname: 'Ann' }, mentions: ['email', 'id'] },
    { title: 'a value that is not an object', user: 'ann@example.com', mentions: ['object'] },
  ];

  test('[C6.1] tag rejects bad arguments with an error that names the problem, and the widget keeps working', async ({
    site,
    widget,
    workspace,
  }) => {
    await site.gotoHome();
    await widget.sendAndWait('Before the bad calls');
    for (const { title, user, mentions } of cases) {
      const outcome = await widget.tag(user);
      expect(outcome.ok, `tag with ${title} must reject`).toBe(false);
      if (outcome.ok) continue;
      expect(outcome.name, title).toBe('CVError');
      for (const word of mentions) expect(outcome.message, `the error for ${title} names ${word}`).toContain(word);
    }
    await expect(widget.messages).toHaveText(['Before the bad calls']);
    await widget.sendAndWait('After the bad calls');
    await expect(widget.messages).toHaveText(['Before the bad calls', 'After the bad calls']);
    expect((await workspace.data()).customers).toEqual([]);
  });

  test('[C6.2] the API answers malformed JSON and wrong types with 400 and a body naming the problem, and stores nothing', async ({
    mockApi,
    workspace,
  }) => {
    const visitor = await VisitorClient.register(mockApi, workspace.id);
    const before = await workspace.data();

    const malformed = await visitor.post('tag', '{"email": "a@example.com",');
    expect(malformed.status()).toBe(400);
    expect((await malformed.json()).error).toMatchObject({ code: 'invalid_json', message: expect.stringContaining('not valid JSON') });

    const wrongTypes = await visitor.tag({ email: 'a@example.com', labels: [1, 2], gender: 'robot' });
    expect(wrongTypes.status()).toBe(400);
    const body = (await wrongTypes.json()) as { error: { code: string; message: string; issues: { path: string; message: string }[] } };
    expect(body.error.code).toBe('invalid_body');
    expect(body.error.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['labels[0]', 'gender']));

    const emptyMessage = await visitor.send('   ');
    expect(emptyMessage.status()).toBe(400);
    expect((await emptyMessage.json()).error.message).toContain('text');

    const unknownField = await visitor.tag({ email: 'a@example.com', assigneduser: 'x@example.com' });
    expect(unknownField.status()).toBe(400);
    expect((await unknownField.json()).error.message).toContain('assigneduser');

    const after = await workspace.data();
    expect(after.customers).toEqual(before.customers);
    expect(after.conversations).toEqual(before.conversations);
    expect((await mockApi.get('/__admin/health')).ok()).toBe(true);
  });

  test('[C6.3] message text carrying HTML or script is shown as text, and nothing in it runs', async ({ page, site, widget, agent }) => {
    const hostile = [
      '<img src=x onerror="window.__cvPwned = 1">',
      '<script>window.__cvPwned = 2</script><b>bold?</b>',
      '<a href="javascript:window.__cvPwned=3">click me</a>',
    ];
    await site.login(JOHN);
    for (const text of hostile) await widget.sendAndWait(text);
    await agent.reply((await agent.conversationOf(JOHN)).id, '<svg onload="window.__cvPwned = 4"></svg>agent says hi');

    await expect(widget.messages).toHaveText([...hostile, '<svg onload="window.__cvPwned = 4"></svg>agent says hi']);
    await expect(widget.messageList.locator('img, script, b, a, svg')).toHaveCount(0);
    expect(await page.evaluate(() => (window as { __cvPwned?: number }).__cvPwned)).toBeUndefined();
  });

  test('[C6.4] a message that cannot be sent is not shown as sent: the alert says so, the text stays in the box, and sending it again works', async ({
    page,
    site,
    widget,
    workspace,
  }) => {
    await site.login(JOHN);
    await widget.sendAndWait('Before the outage');
    // The network fails for the next send only, as a dropped connection would.
    await page.route(/\/visitors\/[^/]+\/messages$/, (route) =>
      route.request().method() === 'POST' ? route.abort('connectionfailed') : route.continue(),
    );
    await widget.send('Lost in transit');
    await expect(widget.alert, 'the widget says the message was not sent').toHaveText(/\S/);
    await expect(widget.messages).toHaveText(['Before the outage']);
    await expect(widget.messageBox, 'nothing typed is lost').toHaveValue('Lost in transit');

    await page.unrouteAll();
    await widget.sendButton.click();
    await expect(widget.messages).toHaveText(['Before the outage', 'Lost in transit']);
    await expect(widget.alert, 'once it is sent, no alert says it was not').toBeHidden();
    expect(storedHistory(await workspace.data(), JOHN).map((m) => m.text)).toEqual(['Before the outage', 'Lost in transit']);
  });

  test("[C6.5] a sent message shows from the server's answer, also where no live connection can be opened (a proxy that blocks event streams)", async ({
    page,
    site,
    widget,
    workspace,
  }) => {
    // On this network event streams never connect; requests and their answers go through.
    await page.route(/\/events\?/, (route) => route.abort('connectionfailed'));
    await site.login(JOHN);
    await widget.open();
    await widget.send('Sent without a live connection');
    await expect(widget.messages, 'the message is on screen once the server has it').toHaveText(['Sent without a live connection']);
    await expect(widget.messageBox).toHaveValue('');
    expect(storedHistory(await workspace.data(), JOHN).map((m) => m.text)).toEqual(['Sent without a live connection']);
  });

  test("[C6.6] an error answer without the API's JSON body (a gateway's 502 page) still rejects with a CVError naming the status, and the widget keeps working", async ({
    page,
    site,
    widget,
    workspace,
  }) => {
    await site.gotoHome();
    await widget.sendAndWait('Before the gateway failed');
    // A proxy in front of the vendor answers with its own error page, not the API's JSON.
    const gatewayError = { status: 502, contentType: 'text/html', body: '<html><body>Bad Gateway</body></html>' };
    await page.route(/\/visitors\/[^/]+\/(tag|messages)$/, (route) =>
      route.request().method() === 'POST' ? route.fulfill(gatewayError) : route.continue(),
    );

    const outcome = await widget.tag({ email: JOHN });
    expect(outcome).toMatchObject({ ok: false, name: 'CVError', message: expect.stringContaining('502') });
    await widget.send('Lost at the gateway');
    await expect(widget.alert, 'the alert names what went wrong').toContainText('502');
    await expect(widget.messageBox).toHaveValue('Lost at the gateway');
    await expect(widget.messages).toHaveText(['Before the gateway failed']);

    await page.unrouteAll();
    expect(await widget.tag({ email: JOHN })).toEqual({ ok: true });
    await widget.sendButton.click();
    await expect(widget.messages).toHaveText(['Before the gateway failed', 'Lost at the gateway']);
    await expect(widget.alert).toBeHidden();
    expect(storedHistory(await workspace.data(), JOHN).map((m) => m.text)).toEqual(['Before the gateway failed', 'Lost at the gateway']);
  });
});
