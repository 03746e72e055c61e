/**
 * The vendor backend as an express app over a store. It knows nothing of ports or files:
 * `main.ts` opens the store and listens; tests may build it over an in-memory store.
 */
import express from 'express';
import { EventHub } from './events.js';
import { errorHandler, guardBody, notFound } from './http.js';
import { adminApi, adminGuard, type AdminAccess } from './routes/admin.js';
import { agentApi } from './routes/agent-api.js';
import { cdn } from './routes/cdn.js';
import { widgetApi, type IdentityVerifier } from './routes/widget-api.js';
import type { Store } from './store.js';
import { StreamTickets } from './stream-tickets.js';
import type { WidgetSource } from './widget-source.js';

export const BODY_LIMIT = '64kb';

export interface AppOptions extends AdminAccess {
  /** Checks a tag's identity proof (verifyIdentity unless given): a test wraps it to hold a tag open. */
  identityVerifier?: IdentityVerifier;
  /** How long a stream ticket stays good (default 30 s). */
  streamTicketTtlMs?: number;
}

export function createApp(store: Store, widget: WidgetSource, options: AppOptions): { app: express.Express; hub: EventHub } {
  const hub = new EventHub(new StreamTickets(options.streamTicketTtlMs));
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use(guardBody);
  app.use('/__admin', adminGuard(options), adminApi(store, hub, widget.description));
  app.use(cdn(store, widget));
  app.use('/api/v1/workspaces/:workspaceId/agent', agentApi(store, hub));
  app.use('/api/v1/workspaces/:workspaceId', widgetApi(store, hub, options.identityVerifier));
  app.use(notFound);
  app.use(errorHandler);
  return { app, hub };
}
