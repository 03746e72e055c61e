/**
 * Starts the mock vendor backend: reads options, opens the store, listens.
 *
 *   tsx mock-server/src/main.ts [--port 4200] [--host 127.0.0.1] [--data .data/store | --memory]
 *                               [--reset] [--cache-mb 8] [--no-fsync] [--widget <path or URL>] [--test-mode]
 *                               [--admin-token <token>] [--stream-ticket-ttl <ms>]
 *
 * --data names the store's directory (one JSON file per workspace); --cache-mb how many MB of
 * workspace documents it keeps in memory. A write is answered once it is on disk (fsync of the
 * file and its folder); --no-fsync answers once it is renamed into place, which survives a
 * killed server but not a power cut.
 *
 * Options fall back to MOCK_PORT, MOCK_HOST, MOCK_DATA, MOCK_CACHE_MB, MOCK_FSYNC=0, CV_WIDGET, MOCK_TEST_MODE=1,
 * MOCK_ADMIN_TOKEN and MOCK_STREAM_TICKET_TTL_MS. The control namespace (/__admin) is open in
 * test mode; otherwise it needs the admin token, and without one it is shut. Node's own
 * parseArgs is enough for these flags; a CLI library would add a dependency and nothing else.
 */
import { parseArgs } from 'node:util';
import { createApp } from './app.js';
import { DEFAULT_CACHE_BYTES, openStore } from './store.js';
import { STREAM_TICKET_TTL_MS } from './stream-tickets.js';
import { widgetSource } from './widget-source.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.MOCK_PORT ?? '4200' },
    host: { type: 'string', default: process.env.MOCK_HOST ?? '127.0.0.1' },
    data: { type: 'string', default: process.env.MOCK_DATA ?? '.data/store' },
    'cache-mb': { type: 'string', default: process.env.MOCK_CACHE_MB ?? String(DEFAULT_CACHE_BYTES / 2 ** 20) },
    memory: { type: 'boolean', default: false },
    reset: { type: 'boolean', default: false },
    'no-fsync': { type: 'boolean', default: process.env.MOCK_FSYNC === '0' },
    widget: { type: 'string', default: process.env.CV_WIDGET || undefined },
    'test-mode': { type: 'boolean', default: process.env.MOCK_TEST_MODE === '1' },
    'admin-token': { type: 'string', default: process.env.MOCK_ADMIN_TOKEN || undefined },
    'stream-ticket-ttl': { type: 'string', default: process.env.MOCK_STREAM_TICKET_TTL_MS || String(STREAM_TICKET_TTL_MS) },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, not ${JSON.stringify(values.port)}`);
  process.exit(2);
}
const cacheMb = Number(values['cache-mb']);
if (!(cacheMb >= 0)) {
  console.error(`--cache-mb must be a number of megabytes, not ${JSON.stringify(values['cache-mb'])}`);
  process.exit(2);
}
const streamTicketTtlMs = Number(values['stream-ticket-ttl']);
if (!Number.isInteger(streamTicketTtlMs) || streamTicketTtlMs < 0) {
  console.error(`--stream-ticket-ttl must be a whole number of milliseconds, not ${JSON.stringify(values['stream-ticket-ttl'])}`);
  process.exit(2);
}

try {
  const store = await openStore(values.memory ? undefined : values.data, {
    reset: values.reset,
    cacheBytes: cacheMb * 2 ** 20,
    fsync: !values['no-fsync'],
  });
  const widget = await widgetSource(values.widget);
  const adminToken = values['admin-token'];
  if (adminToken !== undefined && adminToken.length < 16) throw new Error('--admin-token must be at least 16 characters');
  const { app, hub } = createApp(store, widget, { testMode: values['test-mode'], adminToken, streamTicketTtlMs });
  const server = app.listen(port, values.host, () => {
    const address = server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    console.log(
      `[mock-server] http://${values.host}:${actualPort}  store: ${values.memory ? 'memory' : `${values.data}${values['no-fsync'] ? ' (no fsync)' : ''}`}  widget: ${widget.description}  ` +
        `control namespace: ${values['test-mode'] ? 'open (test mode)' : adminToken ? 'admin token' : 'shut'}`,
    );
  });
  // Idle keep-alive connections are closed by the server after keepAliveTimeout; a client that
  // sends on one at that instant gets ECONNRESET. Keep them well beyond any test's idle gap.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  server.on('error', (err) => {
    console.error(`[mock-server] cannot listen on ${values.host}:${port}: ${err.message}`);
    process.exit(1);
  });
  const stop = () => {
    hub.closeAll();
    server.close(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  console.error(`[mock-server] ${(err as Error).message}`);
  process.exit(1);
}
