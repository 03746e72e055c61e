/**
 * Makes sure the Chromium builds a run needs are there before the suite runs (scripts/browser.ts
 * says which are used when): full Chromium always, and its headless shell for headless runs.
 * On Debian or Ubuntu, as root, it installs what is missing from the distribution's packages
 * (`chromium`, `chromium-headless-shell`; Playwright's own download is not reachable from every
 * machine). Without full Chromium it says exactly what to install and exits non-zero; without
 * a shell it says so, and headless runs use full Chromium (slower, the same clauses).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium, findHeadlessShell } from './browser.js';

const wantShell = !process.env.CHROMIUM_PATH;
const missing = [...(findChromium() ? [] : ['chromium']), ...(!wantShell || findHeadlessShell() ? [] : ['chromium-headless-shell'])];

if (process.env.CHROMIUM_PATH && !findChromium()) {
  console.error(`[ensure-browser] CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist.`);
  process.exit(1);
}
if (process.env.CHROMIUM_HEADLESS_SHELL_PATH && !findHeadlessShell()) {
  console.error(`[ensure-browser] CHROMIUM_HEADLESS_SHELL_PATH=${process.env.CHROMIUM_HEADLESS_SHELL_PATH} does not exist.`);
  process.exit(1);
}

const isRoot = process.getuid?.() === 0;
if (missing.length && isRoot && existsSync('/usr/bin/apt-get')) {
  console.log(`[ensure-browser] installing Debian's ${missing.map((p) => `"${p}"`).join(' and ')} (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  } catch {
    console.error(`[ensure-browser] apt-get could not install ${missing.join(' and ')}; see its output above.`);
  }
}

const full = findChromium();
if (!full) {
  console.error(`[ensure-browser] No Chromium found. Install one of:
  - Playwright's own build:   npx playwright install chromium
  - Debian/Ubuntu (as root):  apt-get install -y chromium chromium-headless-shell
  - any Chromium or Chrome, then point the suite at it:  CHROMIUM_PATH=/path/to/chrome npm test`);
  process.exit(1);
}
const shell = wantShell ? findHeadlessShell() : undefined;
console.log(`[ensure-browser] using ${full.description}${shell ? `; headless runs: ${shell.description}` : ''}`);
if (wantShell && !shell) {
  console.log(`[ensure-browser] no headless shell: headless runs use full Chromium (slower). To install it:
  - Debian/Ubuntu (as root):  apt-get install -y chromium-headless-shell
  - or point the suite at one:  CHROMIUM_HEADLESS_SHELL_PATH=/path/to/chrome-headless-shell npm test`);
}
