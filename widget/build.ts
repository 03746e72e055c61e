/**
 * Builds the reference widget: widget/src/main.ts bundled by esbuild into one classic script,
 * widget/dist/cv.js, which the mock server serves at /cdn/js/<workspaceId>.js. `npm start` and
 * the suite's set-up run it (`npm run build:widget`); the server itself bundles nothing.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/** Where the reference build goes. The mock server serves this file unless told otherwise. */
export const REFERENCE_BUILD = join(here, 'dist/cv.js');

/** How any build of the widget's sources is made: the reference one and the mutants' alike. */
export function widgetBuildOptions(sourceRoot = dirname(here)): BuildOptions {
  return {
    entryPoints: [join(sourceRoot, 'widget/src/main.ts')],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    legalComments: 'none',
    logLevel: 'silent',
  };
}

/** Writes the reference build and returns its size in bytes. */
export async function buildReferenceWidget(out = REFERENCE_BUILD): Promise<number> {
  await mkdir(dirname(out), { recursive: true });
  const result = await build({ ...widgetBuildOptions(), write: false });
  const code = result.outputFiles![0]!.text;
  await writeFile(out, code);
  return Buffer.byteLength(code);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bytes = await buildReferenceWidget();
  console.log(`[build:widget] wrote ${REFERENCE_BUILD} (${Math.round(bytes / 1024)} KiB)`);
}
