/**
 * Builds the mock server to run on plain Node: mock-server/src (and the protocol it shares)
 * bundled by esbuild into mock-server/dist/main.js, its npm dependencies left as imports.
 * `npm start` and `npm run bench` run that file (`node mock-server/dist/main.js`): a server
 * started through tsx also holds tsx's loader and its own copy of the TypeScript sources, about
 * 26 MB more memory, which is half of what the server holds beside the store at 50 MB (README,
 * Bench). The suite runs the same sources through tsx, so that an edit needs no build.
 *
 * The bundle sits at the same depth as the sources, so the paths it resolves from its own
 * location (the reference widget's build, ../../widget/dist/cv.js) are the same.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/** Where the built server goes. */
export const SERVER_BUILD = join(here, 'dist/main.js');

export async function buildMockServer(): Promise<void> {
  await build({
    entryPoints: [join(here, 'src/main.ts')],
    outfile: SERVER_BUILD,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildMockServer();
  console.log(`[build:server] wrote ${SERVER_BUILD}`);
}
