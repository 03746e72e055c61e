/**
 * A real small disk for the store's fault tests: a tmpfs of a given size mounted on a folder of
 * the test's own, which fills up for real (ENOSPC), can be remounted read-only (EROFS) and grown
 * again, as a full or failing disk under a running server would. Mounting needs root; where it
 * cannot mount, `mountSmallDisk` says why, so that the test is reported not applicable with
 * that reason instead of passing on an ordinary disk.
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SmallDisk {
  dir: string;
  /** Remounts it with new options, the server still running: `ro`, `rw`, `size=1m`. */
  remount(options: string): Promise<void>;
  unmount(): Promise<void>;
}

/** Mounts a tmpfs of `size` (`256k`) on `dir`; `{ unavailable }` names why it cannot. */
export async function mountSmallDisk(dir: string, size: string): Promise<SmallDisk | { unavailable: string }> {
  if (process.platform !== 'linux') return { unavailable: `mounting a tmpfs needs Linux, not ${process.platform}` };
  if (process.getuid?.() !== 0) return { unavailable: 'mounting a tmpfs needs root (run the suite as root to run this clause)' };
  await mkdir(dir, { recursive: true });
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  } catch (err) {
    return { unavailable: `mount -t tmpfs failed: ${(err as { stderr?: string }).stderr?.trim() || (err as Error).message}` };
  }
  return {
    dir,
    remount: async (options) => void (await run('mount', ['-o', `remount,${options}`, dir])),
    unmount: async () => void (await run('umount', [dir])),
  };
}
