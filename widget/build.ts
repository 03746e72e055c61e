/**
 * Bundles the reference widget (widget/src/main.ts) into one classic script with esbuild.
 * The mock server calls `bundleWidget()` at start-up; `npm run build:widget` writes
 * widget/dist/cv.js for those who want the file.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

export async function bundleWidget(): Promise<string> {
  const result = await build({
    entryPoints: [join(here, 'src/main.ts')],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    write: false,
    minify: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = join(here, 'dist/cv.js');
  await mkdir(dirname(out), { recursive: true });
  const code = await bundleWidget();
  await writeFile(out, code);
  console.log(`wrote ${out} (${Math.round(code.length / 1024)} KiB)`);
}
