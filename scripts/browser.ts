/**
 * Which Chromium the suite drives. Two builds of the same version:
 *
 * - **full Chromium**, for headed runs, UI mode, the debugger, extensions, and the clauses the
 *   headless shell cannot hold (the back/forward cache). In order: CHROMIUM_PATH if set;
 *   Playwright's own Chromium if it was downloaded (`npx playwright install chromium`); a system
 *   Chromium (Debian's `chromium` package, or Google Chrome).
 * - **the headless shell** (`chromium-headless-shell`), for headless runs, as Playwright's own
 *   runs use it: the same engine without the browser's UI, a new context for a quarter of the
 *   cost (README, Bench). In order: CHROMIUM_HEADLESS_SHELL_PATH if set; Playwright's own shell
 *   beside its Chromium; Debian's `chromium-headless-shell` package. Where there is none, or
 *   CHROMIUM_PATH pins one binary for everything, headless runs use full Chromium.
 *
 * Playwright's download cannot be reached on every machine, so scripts/ensure-browser.ts
 * installs the system packages where it can.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
const SYSTEM_SHELLS = ['/usr/bin/chromium-headless-shell'];

export interface ChromiumChoice {
  /** undefined: Playwright's own build. */
  executablePath: string | undefined;
  description: string;
}

export type ChromiumBuild = 'full' | 'headless-shell';

/** How to launch one of the builds: what goes into Playwright's launch options, and its name. */
export interface ChromiumLaunch {
  build: ChromiumBuild;
  executablePath?: string;
  /** 'chromium' makes Playwright's own full Chromium run headless (its "new headless"), not its shell. */
  channel?: string;
  description: string;
}

function playwrightsOwn(): boolean {
  try {
    return existsSync(chromium.executablePath());
  } catch {
    return false; // no Playwright browser registry entry
  }
}

/** Full Chromium. */
export function findChromium(): ChromiumChoice | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? { executablePath: fromEnv, description: `CHROMIUM_PATH ${fromEnv}` } : undefined;
  if (playwrightsOwn()) return { executablePath: undefined, description: "Playwright's Chromium" };
  const system = SYSTEM_CHROMIUMS.find((p) => existsSync(p));
  return system ? { executablePath: system, description: `system Chromium ${system}` } : undefined;
}

/** The headless shell, when there is one to use (see the header). */
export function findHeadlessShell(): ChromiumChoice | undefined {
  const fromEnv = process.env.CHROMIUM_HEADLESS_SHELL_PATH;
  if (fromEnv) return existsSync(fromEnv) ? { executablePath: fromEnv, description: `CHROMIUM_HEADLESS_SHELL_PATH ${fromEnv}` } : undefined;
  if (process.env.CHROMIUM_PATH) return undefined;
  // Playwright installs its shell with its Chromium, and launches it for a headless run by itself.
  if (playwrightsOwn()) return { executablePath: undefined, description: "Playwright's headless shell" };
  const system = SYSTEM_SHELLS.find((p) => existsSync(p));
  return system ? { executablePath: system, description: `system headless shell ${system}` } : undefined;
}

/** The build a run of this kind uses: full Chromium when headed or asked for, else the shell where there is one. */
export function chromiumLaunch(want: { headless: boolean; build?: ChromiumBuild }): ChromiumLaunch | undefined {
  const shell = want.headless && want.build !== 'full' ? findHeadlessShell() : undefined;
  if (shell) return { build: 'headless-shell', executablePath: shell.executablePath, description: shell.description };
  const full = findChromium();
  if (!full) return undefined;
  return {
    build: 'full',
    executablePath: full.executablePath,
    channel: full.executablePath === undefined && want.headless ? 'chromium' : undefined,
    description: full.description,
  };
}

/**
 * Whether this run shows a browser: `--headed`, `--ui`, `--debug`, PWDEBUG or HEADED=1. Decided
 * once, in the process that reads the command line, and handed to Playwright's workers (which
 * inherit the environment, not the arguments) as CV_HEADED.
 */
export function runIsHeaded(argv = process.argv): boolean {
  if (process.env.CV_HEADED === undefined) {
    const headed =
      argv.some((a) => a === '--headed' || a === '--ui' || a === '--debug') || Boolean(process.env.PWDEBUG) || process.env.HEADED === '1';
    process.env.CV_HEADED = headed ? '1' : '0';
  }
  return process.env.CV_HEADED === '1';
}
