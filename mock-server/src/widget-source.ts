/**
 * Where the widget script served at /cdn/js/<id>.js comes from: the reference widget, bundled
 * from source at start-up, or another build named by a file path or a URL (CV_WIDGET), which
 * is read again on every request so that a widget author's rebuild shows up at once.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { bundleWidget } from '../../widget/build.js';

export interface WidgetSource {
  /** What the harness reports as the system under test. */
  readonly description: string;
  load(): Promise<string>;
}

export async function widgetSource(spec: string | undefined): Promise<WidgetSource> {
  if (!spec) {
    const code = await bundleWidget();
    return { description: 'reference widget (widget/src)', load: async () => code };
  }
  if (/^https?:\/\//.test(spec)) {
    const fetchIt = async () => {
      const res = await fetch(spec);
      if (!res.ok) throw new Error(`CV_WIDGET ${spec} answered ${res.status}`);
      return res.text();
    };
    await fetchIt();
    return { description: spec, load: fetchIt };
  }
  const file = resolve(spec);
  const readIt = () => readFile(file, 'utf8');
  await readIt().catch((err: Error) => {
    throw new Error(`CV_WIDGET ${file} cannot be read: ${err.message}`);
  });
  return { description: file, load: readIt };
}
