/**
 * H6 — The extension's panel: what a developer debugging the lifecycle on a site sees. It reads
 * the injected integration of a tab, so it needs a site where the harness injects the widget.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeExtension } from '../../extension/build.js';
import { extensionId, launchWithExtension, tabIdOf } from '../../extension/launch.js';
import { shownName } from '../../sites/adapter.js';
import { ChatWidget } from '../pages/chat-widget.js';
import { SiteDriver } from '../pages/site-driver.js';
import { expect, siteTest as test } from '../site-fixtures.js';

test('[H6.1] the extension panel shows the tab’s workspace, visitor, where its id is kept and who is tagged, live, and its buttons tag and reset', async ({
  adapter,
  workspace,
  playwright,
  headless,
  injectionScript,
}) => {
  if (adapter.widget !== 'injected') {
    test.info().annotations.push({
      type: 'not-applicable',
      description: `the site ${adapter.name} embeds the widget itself: the panel reads an injected one`,
    });
  }
  test.skip(adapter.widget !== 'injected', 'not applicable: the site embeds the widget itself');
  test.slow();
  const dir = mkdtempSync(join(tmpdir(), 'cv-panel-'));
  const context = await launchWithExtension(playwright.chromium, {
    profileDir: join(dir, 'profile'),
    extensionDir: await writeExtension(join(dir, 'extension'), await injectionScript()),
    headless,
    baseURL: adapter.baseURL,
    bypassCSP: Boolean(adapter.bypassCsp),
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const site = new SiteDriver(page, adapter);
    const widget = new ChatWidget(page);
    await site.gotoHome();
    const guest = await widget.visitorId();

    const tabId = await tabIdOf(context, new URL(adapter.baseURL).origin);
    const panel = await context.newPage();
    await panel.goto(`chrome-extension://${await extensionId(context)}/panel.html?tab=${tabId}`);
    const state = panel.getByRole('definition');
    const value = (term: string) => panel.locator('dt', { hasText: new RegExp(`^${term}$`) }).locator('+ dd');

    await expect(value('Workspace')).toHaveText(workspace.id);
    await expect(value('Visitor id')).toHaveText(guest);
    await expect(value('Kept in')).toHaveText('sessionStorage');
    await expect(value('Tagged as')).toHaveText('nobody (anonymous)');
    await expect(state).not.toHaveCount(0);

    const [first] = adapter.accounts;
    await site.login(first!);
    await expect(value('Tagged as'), 'the panel follows the tab live').toHaveText(shownName(first!));
    await expect(panel.getByRole('list', { name: 'Lifecycle log' })).toContainText(`tag ${shownName(first!)}`);

    await panel.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(() => widget.visitorId(), { message: 'the panel’s Reset starts a new visitor in the tab' }).not.toBe(guest);
    await expect(value('Visitor id')).toHaveText(await widget.visitorId());
    await expect(panel.getByRole('list', { name: 'Lifecycle log' })).toContainText('cv:reset');
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
