/**
 * Where the widget script served at /cdn/js/<id>.js comes from: a built file (the reference
 * build, widget/dist/cv.js, unless CV_WIDGET names another) or a URL. It is read again on every
 * request, so that a rebuild shows up at once. The server bundles nothing itself.
 */
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface WidgetSource {
  /** What the harness reports as the system under test. */
  readonly description: string;
  load(): Promise<string>;
  /** The build's source map (the file beside it, `<file>.map`), or null when it has none. */
  loadMap(): Promise<string | null>;
}

/** The reference widget's build, made by `npm run build:widget`. A path, not an import: the
 * server does not depend on the widget's code. */
export const REFERENCE_WIDGET_FILE = fileURLToPath(new URL('../../widget/dist/cv.js', import.meta.url));

export async function widgetSource(spec: string | undefined): Promise<WidgetSource> {
  if (spec && /^https?:\/\//.test(spec)) {
    const fetchIt = async () => {
      const res = await fetch(spec);
      if (!res.ok) throw new Error(`CV_WIDGET ${spec} answered ${res.status}`);
      return res.text();
    };
    await fetchIt();
    // A build served from elsewhere names its own map, which the browser fetches from there.
    return { description: spec, load: fetchIt, loadMap: async () => null };
  }
  const file = spec ? resolve(spec) : REFERENCE_WIDGET_FILE;
  const readIt = () => readFile(file, 'utf8');
  await readIt().catch((err: Error) => {
    throw new Error(
      spec
        ? `CV_WIDGET ${file} cannot be read: ${err.message}`
        : `the reference widget's build ${relative(process.cwd(), file)} cannot be read (${err.message}): run \`npm run build:widget\` first`,
    );
  });
  const readMap = () => readFile(`${file}.map`, 'utf8').catch(() => null);
  return { description: spec ? file : 'reference widget (widget/dist/cv.js)', load: readIt, loadMap: readMap };
}
