/**
 * Builds the injected integration (src/integration.ts) and puts it into the two forms the
 * harness uses: a script for `context.addInitScript` (init-script mode), and an unpacked
 * Manifest V3 extension whose MAIN-world `document_start` content script is the same script
 * (extension mode). The widget under test travels inside the script, so a page's `script-src`
 * never decides whether it loads.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { shownName, type SiteAdapter } from '../sites/adapter.js';
import type { InjectionConfig } from './injection-config.js';

let bundled: Promise<string> | undefined;

/** The integration, bundled once per process. */
function integrationSource(): Promise<string> {
  bundled ??= build({
    entryPoints: [fileURLToPath(new URL('./src/integration.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]!.text);
  return bundled;
}

/**
 * The whole injected script: it runs only in the top frame of the site's own origin, and there
 * gives the integration its configuration and the widget's source as a function to call.
 */
export async function injectionScript(config: InjectionConfig & { siteOrigin: string }, widgetSource: string): Promise<string> {
  const { siteOrigin, ...rest } = config;
  return [
    '(function () {',
    // Not in frames, other origins, or the initial about:blank of a popup (which inherits its opener's origin).
    `if (window.top !== window || location.protocol === 'about:' || location.origin !== ${JSON.stringify(siteOrigin)}) return;`,
    "if (Object.prototype.hasOwnProperty.call(window, '__cvHarness')) return;",
    `var CV_HARNESS_CONFIG = ${JSON.stringify(rest)};`,
    'function CV_HARNESS_WIDGET() {',
    widgetSource,
    '}',
    await integrationSource(),
    '})();',
  ].join('\n');
}

/** The injected script for a site and workspace: the adapter's accounts and probe, and the widget's source. */
export function injectionFor(adapter: SiteAdapter, workspaceId: string, mockUrl: string, widgetSource: string): Promise<string> {
  return injectionScript(
    {
      siteOrigin: new URL(adapter.baseURL).origin,
      workspaceId,
      vendorBase: adapter.vendorBase?.(mockUrl) ?? mockUrl,
      accounts: Object.fromEntries(
        adapter.accounts.map((a) => [shownName(a), { email: a.email, firstname: a.firstname, lastname: a.lastname }]),
      ),
      signedIn: adapter.signedIn,
    },
    widgetSource,
  );
}

/**
 * Writes an unpacked extension carrying `script` into `dir`; returns `dir`. Besides the content
 * script it has a panel (its popup, panel.html) that shows the identity state of the tab live,
 * and a service worker that does nothing but lets a test find the extension's id.
 */
export async function writeExtension(dir: string, script: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const manifest = {
    manifest_version: 3,
    name: 'CV identity harness',
    version: '0.1.0',
    description: 'Puts the chat widget under test on any site, plays its login and logout integration, and shows its identity state.',
    content_scripts: [{ matches: ['<all_urls>'], js: ['inject.js'], run_at: 'document_start', world: 'MAIN', all_frames: false }],
    action: { default_popup: 'panel.html', default_title: 'CV identity harness' },
    background: { service_worker: 'background.js' },
    permissions: ['scripting', 'tabs'],
    host_permissions: ['<all_urls>'],
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'inject.js'), script);
  writeFileSync(join(dir, 'background.js'), '// The panel reads tabs itself; this worker only makes the extension findable.\n');
  const panel = await build({
    entryPoints: [fileURLToPath(new URL('./src/panel.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    logLevel: 'silent',
  });
  writeFileSync(join(dir, 'panel.js'), panel.outputFiles[0]!.text);
  for (const file of ['panel.html', 'panel.css']) copyFileSync(fileURLToPath(new URL(`./panel/${file}`, import.meta.url)), join(dir, file));
  return dir;
}
