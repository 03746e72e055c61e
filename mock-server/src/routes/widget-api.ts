/**
 * The API the widget speaks, under /api/v1/workspaces/:workspaceId. A visitor registers and
 * gets an id and a secret token; every later call names the visitor in the path and proves
 * the token in an Authorization header. The event stream, which EventSource opens without
 * headers, takes a one-time ticket in its URL instead, bought with the token: a URL is logged
 * along the way, and the token must not be.
 */
import { Router, type Request } from 'express';
import * as v from 'valibot';
import type { EventHub } from '../events.js';
import { ApiError, parse } from '../http.js';
import { verifyIdentity } from '../identity.js';
import {
  findVisitor,
  historyPage,
  liveVisitor,
  postVisitorMessage,
  readersOf,
  registerVisitor,
  revokeVisitor,
  sessionView,
  tagVisitor,
  toWire,
} from '../model.js';
import {
  activeUserSchema,
  HISTORY_PAGE_MAX,
  HISTORY_PAGE_SIZE,
  type HistoryPage,
  type WidgetConfig,
} from '../../../protocol/widget-api.js';
import { messageBodySchema } from '../../../protocol/messages.js';
import type { Store } from '../store.js';
import { bearerToken } from '../tokens.js';
import { widgetCors } from './cors.js';
import { recordIdOf, workspaceOf } from './params.js';

const LIMIT_RULE = `a whole number from 1 to ${HISTORY_PAGE_MAX}`;
/** GET …/messages?before=<cursor>&limit=<n>: both optional, each given once. */
const historyQuerySchema = v.object({
  before: v.optional(v.pipe(v.string(), v.regex(/^[1-9][0-9]{0,14}$/, "a cursor from a page's olderCursor"), v.transform(Number))),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[0-9]{1,4}$/, LIMIT_RULE),
      v.transform(Number),
      v.minValue(1, LIMIT_RULE),
      v.maxValue(HISTORY_PAGE_MAX, LIMIT_RULE),
    ),
  ),
});

/** Checks a tag's identity proof; the app passes another only to hold it open in a test. */
export type IdentityVerifier = typeof verifyIdentity;

export function widgetApi(store: Store, hub: EventHub, verify: IdentityVerifier = verifyIdentity): Router {
  const router = Router({ mergeParams: true });
  router.use(widgetCors(store));

  const visitorOf = async (req: Request, token = bearerToken(req.get('authorization'))) => {
    const ws = await workspaceOf(store, req);
    return { ws, visitor: findVisitor(ws, recordIdOf(req, 'visitorId'), token) };
  };

  router.get('/config', async (req, res) => {
    const ws = await workspaceOf(store, req);
    const config: WidgetConfig = { workspaceId: ws.id, idMode: ws.settings.idMode };
    res.json(config);
  });

  router.post('/visitors', async (req, res) => {
    const ws = await workspaceOf(store, req);
    res.status(201).json(await store.updateWorkspace(ws.id, registerVisitor));
  });

  router.get('/visitors/:visitorId/session', async (req, res) => {
    const { ws, visitor } = await visitorOf(req);
    res.json(sessionView(ws, visitor));
  });

  // Older history, a page at a time: the page before the cursor the last page gave.
  router.get('/visitors/:visitorId/messages', async (req, res) => {
    const { ws, visitor } = await visitorOf(req);
    const { before, limit } = parse(historyQuerySchema, req.query, 'query', 'invalid_query');
    const page: HistoryPage = historyPage(ws, visitor, before, limit ?? HISTORY_PAGE_SIZE);
    res.json(page);
  });

  router.post('/visitors/:visitorId/messages', async (req, res) => {
    const { ws, visitor } = await visitorOf(req);
    const { text } = parse(messageBodySchema, req.body);
    const { message, readers } = await store.updateWorkspace(ws.id, (draft) => {
      const posted = postVisitorMessage(draft, visitor.id, text);
      return { message: toWire(draft, posted.message), readers: readersOf(draft, posted.conversationId) };
    });
    hub.publish(ws.id, readers, { type: 'message', message });
    res.status(201).json(message);
  });

  router.post('/visitors/:visitorId/tag', async (req, res) => {
    const { ws, visitor } = await visitorOf(req);
    const user = parse(activeUserSchema, req.body, 'user');
    // Checked before anything changes: a refused proof attaches nothing and returns no history.
    // tagVisitor checks again that the visitor is live: a reset may land during this wait.
    const verified = await verify(ws, user);
    res.json(await store.updateWorkspace(ws.id, (draft) => tagVisitor(draft, visitor.id, user, verified)));
  });

  router.post('/visitors/:visitorId/reset', async (req, res) => {
    const { ws, visitor } = await visitorOf(req);
    await store.updateWorkspace(ws.id, (draft) => revokeVisitor(draft, visitor));
    hub.close(ws.id, visitor.id);
    res.status(204).end();
  });

  router.post('/visitors/:visitorId/stream-tickets', async (req, res) => {
    const { ws, visitor } = await visitorOf(req);
    res.status(201).json(hub.tickets.issue(ws.id, visitor.id));
  });

  router.get('/visitors/:visitorId/events', async (req, res) => {
    const ws = await workspaceOf(store, req);
    const visitorId = recordIdOf(req, 'visitorId');
    const how = `POST /visitors/${visitorId}/stream-tickets with the visitor's token in an Authorization header, then open this stream with ?ticket=<ticket>`;
    if (req.query.token !== undefined) {
      throw new ApiError(400, 'token_in_url', `the event stream does not take the visitor token in its URL, where logs keep it: ${how}`);
    }
    const ticket = typeof req.query.ticket === 'string' ? req.query.ticket : undefined;
    // One answer for a missing, unknown, spent, expired or someone else's ticket.
    const found = ticket && hub.tickets.redeem(ws.id, visitorId, ticket) ? ws.visitors.find((v) => v.id === visitorId) : undefined;
    if (!found) {
      throw new ApiError(
        401,
        'invalid_stream_ticket',
        `the stream ticket is missing, unknown, spent or expired (a ticket opens one stream, once): ${how}`,
      );
    }
    const visitor = liveVisitor(found);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 1000\n: connected\n\n');
    const unsubscribe = hub.subscribe(ws.id, visitor.id, res);
    // Comments keep proxies from timing the stream out; they carry no event.
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  });

  return router;
}
