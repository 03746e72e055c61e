/**
 * The mock backend built in the test's own process (`createApp` over an in-memory store), as
 * json-server tests itself: for the server's own guarantees where no browser and no restart are
 * needed, and where a test must reach inside (hold an identity check open, say).
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createApp, type AppOptions } from '../../mock-server/src/app.js';
import { openStore } from '../../mock-server/src/store.js';
import { widgetSource } from '../../mock-server/src/widget-source.js';
import type { RunningServer } from './mock-server-process.js';

export async function startInProcess(options: Partial<AppOptions> = {}): Promise<RunningServer> {
  const store = await openStore();
  const { app, hub } = createApp(store, await widgetSource(undefined), { testMode: true, ...options });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((done) => {
        hub.closeAll();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
