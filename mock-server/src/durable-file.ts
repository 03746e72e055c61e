/**
 * A lowdb adapter for one text file whose writes are on disk before they resolve: the text
 * goes to `.<name>.tmp` beside the file, is flushed with fsync, is renamed over the file, and
 * then the folder is flushed too, so that the rename itself survives a power cut. A crash at
 * any point leaves either the old file or the new one, never a part of either; a temporary
 * file left behind is ignored by the store and removed by `--reset`.
 *
 * lowdb's own TextFile (steno) writes and renames the same way but never calls fsync, so a
 * write it has answered can be lost with the machine (not with the process). With `fsync:
 * false` this adapter does the same as steno; the bench measures what the two flushes cost.
 * The store writes each file one write at a time, so no queue is kept here.
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';

export class DurableTextFile implements Adapter<string> {
  private readonly temp: string;

  constructor(
    readonly path: string,
    private readonly fsync: boolean,
  ) {
    this.temp = join(dirname(path), `.${basename(path)}.tmp`);
  }

  async read(): Promise<string | null> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async write(text: string): Promise<void> {
    const file = await open(this.temp, 'w');
    try {
      await file.writeFile(text, 'utf8');
      if (this.fsync) await file.sync();
    } catch (err) {
      // A full disk: the half-written temporary file would keep the space the next write needs.
      await file.close().catch(() => undefined);
      await rm(this.temp, { force: true }).catch(() => undefined);
      throw err;
    }
    await file.close();
    try {
      await rename(this.temp, this.path);
    } catch (err) {
      await rm(this.temp, { force: true }).catch(() => undefined);
      throw err;
    }
    if (this.fsync) await syncFolder(dirname(this.path));
  }
}

/** Flushes a folder's entries (the names in it), which is what makes a rename durable. */
async function syncFolder(path: string): Promise<void> {
  const folder = await open(path, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
