/**
 * Makes sure a Chromium is there before the suite runs. On Debian or Ubuntu, as root, it
 * installs the distribution's `chromium` package (Playwright's own download is not reachable
 * from every machine); elsewhere it says exactly what to install and exits non-zero.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium } from './browser.js';

const found = findChromium();
if (found) {
  console.log(`[ensure-browser] using ${found.description}`);
  process.exit(0);
}

if (process.env.CHROMIUM_PATH) {
  console.error(`[ensure-browser] CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist.`);
  process.exit(1);
}

const isRoot = process.getuid?.() === 0;
if (isRoot && existsSync('/usr/bin/apt-get')) {
  console.log('[ensure-browser] no Chromium found: installing Debian\'s "chromium" package (apt-get)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
  } catch {
    console.error('[ensure-browser] apt-get could not install chromium; see its output above.');
    process.exit(1);
  }
  const installed = findChromium();
  if (installed) {
    console.log(`[ensure-browser] using ${installed.description}`);
    process.exit(0);
  }
}

console.error(`[ensure-browser] No Chromium found. Install one of:
  - Playwright's own build:   npx playwright install chromium
  - Debian/Ubuntu (as root):  apt-get install -y chromium
  - any Chromium or Chrome, then point the suite at it:  CHROMIUM_PATH=/path/to/chrome npm test`);
process.exit(1);
