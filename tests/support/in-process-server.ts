/**
 * The mock backend (and the fixture site) built in the test's own process (`createApp` over an in-memory store), as
 * json-server tests itself: for the server's own guarantees where no browser and no restart are
 * needed, and where a test must reach inside (hold an identity check open, say).
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { createApp, type AppOptions } from '../../mock-server/src/app.js';
import { createSiteApp, type SiteOptions } from '../../fixture-site/src/app.js';
import { openStore } from '../../mock-server/src/store.js';
import { widgetSource } from '../../mock-server/src/widget-source.js';
import type { RunningServer } from './mock-server-process.js';

export async function startInProcess(options: Partial<AppOptions> = {}): Promise<RunningServer> {
  const store = await openStore();
  const { app, hub } = createApp(store, await widgetSource(undefined), { testMode: true, ...options });
  return listenLocal(app, () => hub.closeAll());
}

/** The fixture site built in the test's own process, in front of a given mock server. */
export function startSiteInProcess(options: SiteOptions): Promise<RunningServer> {
  return listenLocal(createSiteApp(options));
}

/** Listens on a free loopback port; `stop` ends open connections (and anything `beforeClose` ends) and closes. */
async function listenLocal(app: Express, beforeClose = () => {}): Promise<RunningServer> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((done) => {
        beforeClose();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
