/**
 * The vendor backend as an express app over a store. It knows nothing of ports or files:
 * `main.ts` opens the store and listens; tests may build it over an in-memory store.
 */
import express, { type RequestHandler } from 'express';
import { EventHub } from './events.js';
import { errorHandler, notFound } from './http.js';
import { adminApi } from './routes/admin.js';
import { agentApi } from './routes/agent-api.js';
import { cdn } from './routes/cdn.js';
import { widgetApi } from './routes/widget-api.js';
import type { Store } from './store.js';
import type { WidgetSource } from './widget-source.js';

export const BODY_LIMIT = '64kb';

/** Widgets are embedded on other origins and authenticate with bearer tokens, not cookies. */
const cors: RequestHandler = (req, res, next) => {
  res.set({
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, POST, PATCH, OPTIONS',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type',
    'Access-Control-Max-Age': '600',
  });
  if (req.method === 'OPTIONS') res.status(204).end();
  else next();
};

export function createApp(store: Store, widget: WidgetSource): { app: express.Express; hub: EventHub } {
  const hub = new EventHub();
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(cors);
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use('/__admin', adminApi(store, widget.description));
  app.use(cdn(store, widget));
  app.use('/api/v1/workspaces/:workspaceId/agent', agentApi(store, hub));
  app.use('/api/v1/workspaces/:workspaceId', widgetApi(store, hub));
  app.use(notFound);
  app.use(errorHandler);
  return { app, hub };
}
