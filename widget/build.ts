/**
 * Builds the reference widget: widget/src/main.ts bundled by esbuild into one minified classic
 * script, widget/dist/cv.js, with its source map beside it (cv.js.map, sources included), which
 * the mock server serves at /cdn/js/<workspaceId>.js and /cdn/js/cv.js.map. `npm start` and
 * the suite's set-up run it (`npm run build:widget`); the server itself bundles nothing.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
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
    // Served as a vendor serves it: minified, with a linked source map for the developer tools.
    minify: true,
    sourcemap: 'linked',
  };
}

/** Writes the reference build and its source map; returns the script's size, plain and gzipped. */
export async function buildReferenceWidget(out = REFERENCE_BUILD): Promise<{ bytes: number; gzipped: number }> {
  await mkdir(dirname(out), { recursive: true });
  const result = await build({ ...widgetBuildOptions(), outfile: out, write: false });
  for (const file of result.outputFiles!) await writeFile(file.path, file.contents);
  const code = result.outputFiles!.find((file) => file.path === out)!.contents;
  return { bytes: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { bytes, gzipped } = await buildReferenceWidget();
  console.log(
    `[build:widget] wrote ${REFERENCE_BUILD} and its source map (${(bytes / 1024).toFixed(1)} KiB minified, ${(gzipped / 1024).toFixed(1)} KiB gzipped)`,
  );
}
