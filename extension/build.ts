/**
 * Builds the injected integration (src/integration.ts) and puts it into the two forms the
 * harness uses: a script for `context.addInitScript` (init-script mode), and an unpacked
 * Manifest V3 extension whose MAIN-world `document_start` content script is the same script
 * (extension mode). The widget under test travels inside the script, so a page's `script-src`
 * never decides whether it loads.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
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

/** Writes an unpacked extension carrying `script` into `dir`; returns `dir`. */
export function writeExtension(dir: string, script: string): string {
  mkdirSync(dir, { recursive: true });
  const manifest = {
    manifest_version: 3,
    name: 'CV identity harness',
    version: '0.1.0',
    description: 'Puts the chat widget under test on any site and plays its login and logout integration.',
    content_scripts: [{ matches: ['<all_urls>'], js: ['inject.js'], run_at: 'document_start', world: 'MAIN', all_frames: false }],
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'inject.js'), script);
  return dir;
}
