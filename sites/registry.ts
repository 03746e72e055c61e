/**
 * The site adapters the harness knows, by name. `SITE=<name>` chooses one (default `fixture`).
 * To add a site, write sites/<name>/adapter.ts and list it here.
 */
import type { SiteAdapter } from './adapter.js';
import { fixture, fixtureInjected } from './fixture/adapter.js';
import { verdaccio } from './verdaccio/adapter.js';

export const SITES: Record<string, SiteAdapter> = {
  [fixture.name]: fixture,
  [fixtureInjected.name]: fixtureInjected,
  [verdaccio.name]: verdaccio,
};

/** The adapter `SITE` names; an unknown name is an error that lists the known ones. */
export function siteFromEnv(name = process.env.SITE || 'fixture'): SiteAdapter {
  const site = SITES[name];
  if (!site) throw new Error(`SITE=${name}: no such site adapter (known: ${Object.keys(SITES).join(', ')}); see sites/README.md`);
  return site;
}
