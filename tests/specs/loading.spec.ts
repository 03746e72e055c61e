/**
 * C8 — Loading: calls made through the queueing snippet before the widget script arrives run
 * once each, in order; the page's CVLoaded hook runs exactly once; the widget works when
 * loaded cross-origin, straight from the vendor's CDN, and on a page with no stub at all; a
 * script served from a path that names no workspace says so and throws nothing.
 */
import { MOCK_URL } from '../support/env.js';
import { expect, test } from '../fixtures.js';
import { deferred } from '../support/deferred.js';
import { customerOf } from '../support/admin-client.js';
import { JOHN, MAX, customersWhoWrote } from '../support/people.js';

test.describe('C8 loading', () => {
  test.use({
    seed: customersWhoWrote({ [JOHN]: ['John was here'], [MAX]: ['Max was here'] }),
  });

  test('[C8.1] calls made before the script arrives run once each, in order, when it does', async ({ page, widget }) => {
    const scriptMayArrive = deferred();
    await page.route('**/cdn/js/*.js', async (route) => {
      await scriptMayArrive.promise;
      await route.continue();
    });
    const tagRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/tag')) tagRequests.push(request.postData() ?? '');
    });

    await page.goto('/', { waitUntil: 'domcontentloaded' });
    const stubbed = await page.evaluate(
      (users) => {
        const w = window as unknown as {
          CV: { version?: string; user: Record<string, (...a: unknown[]) => Promise<unknown>> };
          settled: string[];
        };
        w.settled = [];
        const note = (what: string) => () => w.settled.push(what);
        void w.CV.user.tag!({ email: users[0] }).then(note('tag john'), note('tag john failed'));
        void w.CV.user.reset!().then(note('reset'), note('reset failed'));
        void w.CV.user.tag!({ email: users[1] }).then(note('tag max'), note('tag max failed'));
        return w.CV.version === undefined;
      },
      [JOHN, MAX],
    );
    expect(stubbed, 'the calls were made on the queueing stub, before the widget arrived').toBe(true);

    scriptMayArrive.resolve();
    // The script's load, the widget's start and five requests all happen inside this one wait.
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { settled: string[] }).settled), { timeout: 20_000 })
      .toEqual(['tag john', 'reset', 'tag max']);
    await widget.open();
    await expect(widget.messages).toHaveText(['Max was here']);
    expect(tagRequests.map((body) => JSON.parse(body).email)).toEqual([JOHN, MAX]);
  });

  test('[C8.2] the CVLoaded hook runs exactly once, with CV ready; a hook set after load runs at once', async ({ page, site, widget }) => {
    await page.addInitScript(() => {
      const w = window as unknown as { CVLoaded: () => void; hookRuns: string[]; CV?: { user?: { tag?: unknown } } };
      w.hookRuns = [];
      w.CVLoaded = () => w.hookRuns.push(typeof w.CV?.user?.tag);
    });
    await site.gotoHome();
    await expect.poll(() => page.evaluate(() => (window as unknown as { hookRuns: string[] }).hookRuns)).toEqual(['function']);

    // The vendor's pattern for pages that may run after the widget: if loaded, call; else register.
    await page.evaluate(() => {
      const w = window as unknown as { CVLoaded: unknown; lateRuns: number };
      w.lateRuns = 0;
      const hook = () => (w.lateRuns += 1);
      if (w.CVLoaded && typeof w.CVLoaded !== 'function') hook();
      else w.CVLoaded = hook;
    });
    await expect.poll(() => page.evaluate(() => (window as unknown as { lateRuns: number }).lateRuns)).toBe(1);

    expect(await widget.tag({ email: JOHN })).toEqual({ ok: true });
    expect(await page.evaluate(() => (window as unknown as { hookRuns: string[] }).hookRuns)).toEqual(['function']);
  });

  test('[C8.4] a page integrated as the vendor documents it, with no queueing stub, only the script and a CVLoaded hook, works', async ({
    page,
    widget,
    workspace,
  }) => {
    // No stub defines CV before the script: the page registers its hook, or calls it at once if
    // the widget is there already (the vendor's "if loaded, call; else register"). The page is
    // the site's, and loads the widget through the site's first-party /cv path.
    await page.route('**/vendor-documented', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><title>Signed in</title><main><h1>Signed in as John</h1></main>
<script>
  function tagJohn() { CV.user.tag({ email: ${JSON.stringify(JOHN)} }); }
  if (window.CVLoaded === true) tagJohn(); else window.CVLoaded = tagJohn;
</script>
<script async src="/cv/cdn/js/${workspace.id}.js"></script>`,
      }),
    );
    await page.goto('/vendor-documented');
    await widget.open();
    await expect(widget.messages).toHaveText(['John was here']);
    await widget.sendAndWait('Sent from a page without the stub');
    expect(await widget.reset()).toEqual({ ok: true });
    await expect(widget.messages).toHaveCount(0);
  });

  test('[C8.5] a widget script served from a path that names no workspace starts nothing and says so, without an uncaught error', async ({
    page,
    widget,
    workspace,
  }) => {
    // A site that copied the vendor's script to its own assets, under another name: the
    // workspace cannot be told from the URL any more.
    await page.route('**/assets/chat-widget.js', async (route) =>
      route.fulfill({ response: await route.fetch({ url: `/cv/cdn/js/${workspace.id}.js` }) }),
    );
    await page.route('**/self-hosted', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><html lang="en"><title>Self-hosted</title><main><h1>Shop</h1></main><script src="/assets/chat-widget.js"></script>',
      }),
    );
    const uncaught: string[] = [];
    const errors: string[] = [];
    page.on('pageerror', (error) => uncaught.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.goto('/self-hosted');
    await expect
      .poll(() => errors, { message: 'a console error names the URL form the widget needs' })
      .toContainEqual(expect.stringContaining('/cdn/js/'));
    expect(uncaught, 'the widget throws nothing into the page').toEqual([]);
    await expect(widget.launcher).toHaveCount(0);
  });

  test.describe('embedded cross-origin', () => {
    test.use({ embed: 'direct' });

    test('[C8.3] the widget loaded straight from the vendor origin tags, shows history and sends', async ({
      page,
      site,
      widget,
      workspace,
    }) => {
      const scriptOrigins: string[] = [];
      page.on('request', (request) => {
        if (request.resourceType() === 'script' && request.url().includes('/cdn/js/')) scriptOrigins.push(new URL(request.url()).origin);
      });
      await site.login(JOHN);
      await widget.open();
      await expect(widget.messages).toHaveText(['John was here']);
      await widget.sendAndWait('Sent across origins');
      expect(scriptOrigins.length).toBeGreaterThan(0);
      expect(new Set(scriptOrigins)).toEqual(new Set([MOCK_URL]));
      expect(new URL(page.url()).origin).not.toBe(MOCK_URL);
      const john = customerOf(await workspace.data(), JOHN)!;
      const stored = (await workspace.data()).conversations.find((c) => c.id === john.conversationId)!;
      expect(stored.messages.map((m) => m.text)).toEqual(['John was here', 'Sent across origins']);
    });
  });
});
