/**
 * Which Chromium the suite drives. In order: CHROMIUM_PATH if set; Playwright's own Chromium
 * if it was downloaded (`npx playwright install chromium`); a system Chromium (Debian's
 * `chromium` package, or Google Chrome). Playwright's download cannot be reached on every
 * machine, so scripts/ensure-browser.ts installs the system package where it can.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export interface ChromiumChoice {
  /** undefined: Playwright's own build. */
  executablePath: string | undefined;
  description: string;
}

export function findChromium(): ChromiumChoice | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? { executablePath: fromEnv, description: `CHROMIUM_PATH ${fromEnv}` } : undefined;
  try {
    if (existsSync(chromium.executablePath())) return { executablePath: undefined, description: "Playwright's Chromium" };
  } catch {
    /* no Playwright browser registry entry */
  }
  const system = SYSTEM_CHROMIUMS.find((p) => existsSync(p));
  return system ? { executablePath: system, description: `system Chromium ${system}` } : undefined;
}
