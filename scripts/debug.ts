/**
 * `npm run debug -- <site name or URL>`: a visible Chromium with the harness's extension, at a
 * site, with everything it needs running: the mock vendor backend (its own port and store), the
 * site (the fixture site, or the adapter's server), a workspace whose customers are the
 * adapter's accounts with an earlier message each, and the extension's panel open in a second
 * tab, showing the first tab's identity state live.
 *
 *   npm run debug -- fixture-injected
 *   npm run debug -- verdaccio
 *   npm run debug -- https://example.com           (any page: the widget injected, tag/reset from the panel)
 *   npm run debug -- verdaccio --screenshot shot.png   (takes a picture of site and panel, then stops)
 *
 * Without a display, run it under `xvfb-run -a npm run debug -- …`, or pass --headless.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { waitUp } from './wait-up.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { headless: { type: 'boolean', default: false }, screenshot: { type: 'string' } },
});
const target = positionals[0];
if (!target) {
  console.error('usage: npm run debug -- <site name or URL> [--headless] [--screenshot file.png]');
  process.exit(2);
}

// The debug session's own ports, apart from `npm start` (4100, 4200) and the suite (43xx).
process.env.TEST_MOCK_PORT ??= '4400';
process.env.TEST_SITE_PORT ??= '4410';
process.env.TEST_VERDACCIO_PORT ??= '4430';
const { MOCK_URL, MOCK_PORT, SITE_PORT, SITE_URL, IDENTITY_SECRET } = await import('../tests/support/env.js');
const { SITES } = await import('../sites/registry.js');
const { injectionFor, writeExtension } = await import('../extension/build.js');
const { extensionId, launchWithExtension, tabIdOf } = await import('../extension/launch.js');
const { SITE_AGENTS } = await import('../fixture-site/src/users.js');
type SiteAdapter = import('../sites/adapter.js').SiteAdapter;

/** Any URL: the widget injected on its pages; nobody is ever judged signed in, so tag and reset come from the panel. */
function anyUrl(url: string): SiteAdapter {
  const parsed = new URL(url);
  return {
    name: parsed.host,
    description: `any page at ${parsed.origin}`,
    baseURL: parsed.origin,
    widget: 'injected',
    accounts: [{ login: 'debug', password: '', email: 'debug.customer@example.com', firstname: 'Debug', lastname: 'Customer' }],
    signedIn: { kind: 'element', ready: 'body', who: '[data-cv-harness-never-matches]' },
    abilities: [],
    home: parsed.pathname + parsed.search,
    login: async () => undefined,
    logout: async () => undefined,
  };
}

const adapter = /^https?:\/\//.test(target) ? anyUrl(target) : SITES[target];
if (!adapter) {
  console.error(`no site adapter "${target}" (known: ${Object.keys(SITES).join(', ')}), and not a URL`);
  process.exit(2);
}

const children: ChildProcess[] = [];
function start(name: string, command: string, env: Record<string, string> = {}): void {
  const child = spawn(command, { shell: true, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env }, detached: true });
  child.on('exit', (code) => code && console.error(`[debug] ${name} stopped with code ${code}`));
  children.push(child);
}
function stopAll(): void {
  for (const child of children) {
    if (child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
  }
}
process.on('SIGINT', () => {
  stopAll();
  process.exit(130);
});

try {
  const widgetBuild = process.env.CV_WIDGET ? '' : 'node --import tsx widget/build.ts && ';
  start(
    'mock server',
    `${widgetBuild}node --import tsx mock-server/src/main.ts --port ${MOCK_PORT} --data .data/debug-store --reset --test-mode`,
  );
  if (adapter.server) start(adapter.name, adapter.server.command, adapter.server.env);
  else if (adapter.name.startsWith('fixture')) {
    start(
      'fixture site',
      `node --import tsx fixture-site/src/main.ts --port ${SITE_PORT} --mock ${MOCK_URL} --workspace no-workspace-chosen`,
      {
        SITE_IDENTITY_SECRET: IDENTITY_SECRET,
      },
    );
  }
  await waitUp(`${MOCK_URL}/__admin/health`);
  if (adapter.server) await waitUp(adapter.server.url, adapter.server.timeoutMs);
  else if (adapter.name.startsWith('fixture')) await waitUp(`${SITE_URL}/health`);
  await adapter.setUp?.();

  const created = await fetch(`${MOCK_URL}/__admin/workspaces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: `debug: ${adapter.name}`,
      settings: { idMode: 'session' },
      identitySecret: IDENTITY_SECRET,
      agents: SITE_AGENTS,
      customers: adapter.accounts.map((a) => ({
        email: a.email,
        messages: [{ from: 'customer', text: `${a.firstname}'s earlier message (seeded by npm run debug)` }],
      })),
    }),
  });
  if (!created.ok) throw new Error(`the mock server refused the workspace: ${created.status} ${await created.text()}`);
  const { id: workspaceId } = (await created.json()) as { id: string };

  const dir = resolve('.data/debug-browser');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const widgetSource = await (await fetch(`${MOCK_URL}/cdn/js/${workspaceId}.js`)).text();
  const extensionDir = await writeExtension(join(dir, 'extension'), await injectionFor(adapter, workspaceId, MOCK_URL, widgetSource));
  if (!values.headless && !values.screenshot && !process.env.DISPLAY) {
    throw new Error('no display to show a browser on: run `xvfb-run -a npm run debug -- …`, or pass --headless');
  }
  // A screenshot needs no display: without one, the browser runs headless for it.
  const headless = values.headless || (Boolean(values.screenshot) && !process.env.DISPLAY);
  const context = await launchWithExtension(chromium, {
    profileDir: join(dir, 'profile'),
    extensionDir,
    headless,
    baseURL: adapter.baseURL,
    bypassCSP: Boolean(adapter.bypassCsp),
  });
  await adapter.prepareContext?.(context, { workspaceId });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(adapter.home);

  const tabId = await tabIdOf(context, new URL(adapter.baseURL).origin);
  const panel = await context.newPage();
  await panel.setViewportSize({ width: 560, height: 720 });
  await panel.goto(`chrome-extension://${await extensionId(context)}/panel.html?tab=${tabId}`);

  console.log(`[debug] ${adapter.name}: ${adapter.description}`);
  console.log(`[debug] workspace ${workspaceId} on ${MOCK_URL}; the site at ${adapter.baseURL}`);
  console.log(`[debug] accounts: ${adapter.accounts.map((a) => `${a.login} / ${a.password || '(none)'}`).join(', ')}`);
  console.log(
    '[debug] the second tab is the panel: identity state, log, and Tag / Reset buttons. Close the browser or press Ctrl-C to stop.',
  );

  if (values.screenshot) {
    await page.getByRole('button', { name: 'Chat', exact: true }).click();
    await panel.getByText(workspaceId, { exact: true }).waitFor();
    await page.screenshot({ path: values.screenshot.replace(/(\.png)?$/, '-site.png') });
    await panel.screenshot({ path: values.screenshot });
    console.log(`[debug] wrote ${values.screenshot} (the panel) and its -site.png (the site)`);
    await context.close();
  } else {
    await new Promise<void>((done) => context.on('close', () => done()));
  }
} catch (err) {
  console.error(`[debug] ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  stopAll();
}
