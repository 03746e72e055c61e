/**
 * Starts the fixture site.
 *
 *   tsx fixture-site/src/main.ts [--port 4100] [--host 127.0.0.1] [--mock http://127.0.0.1:4200]
 *                                [--workspace demo]
 *
 * Options fall back to SITE_PORT, SITE_HOST, MOCK_URL and SITE_WORKSPACE. The workspace's
 * identity secret comes only from SITE_IDENTITY_SECRET (an argument would show in `ps`);
 * without it the site does not sign its users.
 */
import { parseArgs } from 'node:util';
import { createSiteApp } from './app.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.SITE_PORT ?? '4100' },
    host: { type: 'string', default: process.env.SITE_HOST ?? '127.0.0.1' },
    mock: { type: 'string', default: process.env.MOCK_URL ?? 'http://127.0.0.1:4200' },
    workspace: { type: 'string', default: process.env.SITE_WORKSPACE ?? 'demo' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, not ${JSON.stringify(values.port)}`);
  process.exit(2);
}

const app = createSiteApp({
  mockServerUrl: values.mock,
  defaultWorkspace: values.workspace,
  identitySecret: process.env.SITE_IDENTITY_SECRET || undefined,
});
const server = app.listen(port, values.host, () => {
  console.log(`[fixture-site] http://${values.host}:${port}  (vendor backend proxied from ${values.mock} at /cv)`);
});
// See mock-server/src/main.ts: no ECONNRESET from idle keep-alive connections closing under a client.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 125_000;
server.on('error', (err) => {
  console.error(`[fixture-site] cannot listen on ${values.host}:${port}: ${err.message}`);
  process.exit(1);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.close(() => process.exit(0)));
