/**
 * The fixture site's per-browser knobs, which it reads from cookies (fixture-site/src/app.ts):
 * which workspace its pages embed, how the widget is loaded, how the signed-in user is proven,
 * and two faults a real site may have. Specs set them as fixture options (`test.use`); this is
 * the one place that knows the cookies.
 */
import type { BrowserContext } from '@playwright/test';
import { SITE_URL } from './env.js';

/** How the site loads the widget: through its first-party proxy, straight from the vendor, or
 * not at all (`none`: the site's chat integration is off and the harness injects the widget). */
export type Embed = 'proxy' | 'direct' | 'none';
/** How the fixture site proves its signed-in user: a JWT externalToken, an HMAC userHash, or nothing. */
export type Proof = 'jwt' | 'hmac' | 'none';
/** `no-store` on every page (the default), or a site that forgot it, so that Back may restore
 * a page from the back/forward cache. */
export type SiteCache = 'no-store' | 'bfcache';
/** The site's Content-Security-Policy: none, or the strict one of docs/SECURITY.md. */
export type SiteCsp = 'none' | 'strict';

export interface SiteKnobs {
  workspaceId: string;
  embed: Embed;
  proof: Proof;
  cache: SiteCache;
  csp: SiteCsp;
}

const COOKIES: Record<keyof SiteKnobs, string> = {
  workspaceId: 'cv_workspace',
  embed: 'cv_embed',
  proof: 'cv_proof',
  cache: 'site_cache',
  csp: 'site_csp',
};

/** Sets these knobs for every page of the site that this browser context opens from now on. */
export async function setSiteKnobs(context: BrowserContext, knobs: Partial<SiteKnobs>): Promise<void> {
  await context.addCookies(
    Object.entries(knobs).map(([knob, value]) => ({ name: COOKIES[knob as keyof SiteKnobs], value: String(value), url: SITE_URL })),
  );
}
